package io.visca.gateway.contracts.provider;

/**
 * For {@code custom} providers: programs in a JSON transform language ({@code jq}) that map the OpenAI request to
 * the upstream body and the upstream body to {@code {content, prompt_tokens, completion_tokens, finish_reason}}.
 */
public record TransformConfig(String language, String request, String response) {
}
