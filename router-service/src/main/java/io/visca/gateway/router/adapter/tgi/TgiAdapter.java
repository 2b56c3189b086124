package io.visca.gateway.router.adapter.tgi;

import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.visca.gateway.providers.tgi.TgiType;
import io.visca.gateway.router.adapter.ErrorBodies;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.OpenAiChunkStream;
import io.visca.gateway.router.adapter.OpenAiResponses;
import io.visca.gateway.router.adapter.OpenAiTextCompletions;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.ProviderAdapter;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.TranslatingStream;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.error.GatewayError;

/**
 * {@code tgi}: Hugging Face text-generation-inference's native API, {@code POST /generate} and
 * {@code POST /generate_stream} (SSE). Serves chat and text completions.
 * <p>
 * TGI's native API takes one prompt, so chat messages are rendered with a generic template, one block per message
 * separated by a blank line, ending with the assistant's cue:
 *
 * <pre>
 * System: {system or developer text}
 *
 * User: {user text}
 *
 * Assistant: {assistant text}
 *
 * Tool: {tool result}
 *
 * Assistant:
 * </pre>
 *
 * The model's own chat template (and tool calling) is applied by TGI's OpenAI-compatible Messages API: for that,
 * point an {@code openai-compatible} provider at the server's {@code /v1}.
 * <p>
 * Parameters: {@code max_tokens} (or {@code max_completion_tokens}) → {@code max_new_tokens}; {@code temperature}
 * (TGI rejects 0, so 0 means greedy: {@code do_sample: false}); {@code top_p} only when below 1; {@code stop};
 * {@code seed}; {@code response_format} JSON → TGI's {@code grammar}. TGI includes the stop sequence it stopped on in
 * the text; OpenAI does not, so the adapter strips it (in streams it holds back as many characters as the longest stop
 * sequence until the end). Completion tokens come from {@code details.generated_tokens}; TGI reports prompt tokens
 * only in the {@code x-prompt-tokens} header of {@code /generate}, else they are estimated.
 */
@Singleton
public class TgiAdapter implements ProviderAdapter {

    static final String PROMPT_TOKENS_HEADER = "x-prompt-tokens";

    @Override
    public String type() {
        return TgiType.NAME;
    }

    @Override
    public boolean supports(Operation operation) {
        return operation == Operation.CHAT || operation == Operation.COMPLETIONS;
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamCall call) {
        Buffer body = Json.write(body(call));
        return call.postJson(call.stream() ? "/generate_stream" : "/generate", body).map(response -> {
            if (response.ok()) {
                promptTokens(call, response.headers());
            }
            return response;
        });
    }

    /** TGI's {@code {"inputs", "parameters"}} for the call's chat or completion request. */
    public static ObjectNode body(UpstreamCall call) {
        ObjectNode request = call.request();
        ObjectNode body = Json.object();
        body.put("inputs", call.operation() == Operation.CHAT ? chatPrompt(request) : completionPrompt(request));
        ObjectNode parameters = body.putObject("parameters");
        JsonNode maxTokens = request.hasNonNull("max_completion_tokens") ? request.get("max_completion_tokens")
                : request.get("max_tokens");
        if (maxTokens != null && maxTokens.isNumber()) {
            parameters.put("max_new_tokens", maxTokens.asLong());
        }
        JsonNode temperature = request.get("temperature");
        if (temperature != null && temperature.isNumber()) {
            if (temperature.asDouble() > 0) {
                parameters.put("temperature", temperature.asDouble());
            } else {
                parameters.put("do_sample", false);
            }
        }
        JsonNode topP = request.get("top_p");
        if (topP != null && topP.isNumber() && topP.asDouble() > 0 && topP.asDouble() < 1) {
            parameters.put("top_p", topP.asDouble());
        }
        List<String> stops = Json.strings(request.path("stop"));
        if (!stops.isEmpty()) {
            stops.forEach(parameters.putArray("stop")::add);
        }
        JsonNode seed = request.get("seed");
        if (seed != null && seed.isIntegralNumber()) {
            parameters.put("seed", seed.asLong());
        }
        JsonNode grammar = grammar(request.path("response_format"));
        if (grammar != null) {
            parameters.set("grammar", grammar);
        }
        parameters.put("details", true);
        parameters.put("return_full_text", false);
        return body;
    }

    /** The chat messages in the generic template (see the class comment). */
    static String chatPrompt(ObjectNode request) {
        JsonNode tools = request.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            throw GatewayError.badRequest("Provider type tgi (TGI's native API) does not support tools; point an "
                    + "openai-compatible provider at TGI's /v1 for tool calling.", "tools", "unsupported_parameter");
        }
        StringBuilder prompt = new StringBuilder(256);
        for (JsonNode message : request.path("messages")) {
            String text = Json.text(message.path("content"));
            if (text.isEmpty()) {
                continue;
            }
            prompt.append(label(message.path("role").asText())).append(": ").append(text).append("\n\n");
        }
        return prompt.append("Assistant:").toString();
    }

    private static String label(String role) {
        return switch (role) {
            case "system", "developer" -> "System";
            case "user" -> "User";
            case "assistant" -> "Assistant";
            case "tool", "function" -> "Tool";
            default -> role.isEmpty() ? "User" : Character.toUpperCase(role.charAt(0)) + role.substring(1);
        };
    }

    /** A completion's {@code prompt}: a string, or an array of exactly one string (TGI takes one input). */
    static String completionPrompt(ObjectNode request) {
        JsonNode prompt = request.path("prompt");
        if (prompt.isTextual()) {
            return prompt.asText();
        }
        if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
            return prompt.get(0).asText();
        }
        throw GatewayError.badRequest("Provider type tgi takes one text prompt per request (a string, or an array "
                + "of one string).", "prompt", "unsupported_parameter");
    }

    /** {@code response_format} as TGI's {@code grammar}: a JSON schema, or any JSON object. */
    private static JsonNode grammar(JsonNode responseFormat) {
        String type = responseFormat.path("type").asText("");
        if ("json_schema".equals(type) && responseFormat.path("json_schema").path("schema").isObject()) {
            ObjectNode grammar = Json.object().put("type", "json");
            grammar.set("value", responseFormat.path("json_schema").path("schema"));
            return grammar;
        }
        if ("json_object".equals(type)) {
            ObjectNode grammar = Json.object().put("type", "json");
            grammar.putObject("value").put("type", "object");
            return grammar;
        }
        return null;
    }

    private static void promptTokens(UpstreamCall call, MultiMap headers) {
        String value = headers == null ? null : headers.get(PROMPT_TOKENS_HEADER);
        if (value != null) {
            try {
                call.usage().promptTokens = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                // not TGI's header after all: the prompt is estimated
            }
        }
    }

    @Override
    public Buffer response(UpstreamCall call, Buffer upstreamBody) {
        JsonNode body = Json.readUpstream(call, upstreamBody);
        if (body.isArray()) {
            body = body.path(0);
        }
        JsonNode generated = body.path("generated_text");
        if (!generated.isTextual()) {
            throw UpstreamErrors.malformed(call, "no generated_text");
        }
        JsonNode details = body.path("details");
        String reason = details.path("finish_reason").asText(null);
        String text = stripStop(generated.asText(), reason, Json.strings(call.request().path("stop")));
        if (details.path("generated_tokens").isNumber()) {
            call.usage().completionTokens = details.path("generated_tokens").asLong();
        }
        call.firstToken();
        if (call.operation() == Operation.COMPLETIONS) {
            return OpenAiTextCompletions.completion(call, null, null, text, finishReason(reason));
        }
        return OpenAiResponses.chatCompletion(call, null, null, OpenAiResponses.assistantMessage(text),
                finishReason(reason));
    }

    /** TGI's {@code finish_reason} as OpenAI's: {@code length}, else {@code stop} (eos_token, stop_sequence). */
    static String finishReason(String tgiReason) {
        return "length".equals(tgiReason) ? "length" : "stop";
    }

    /** The text without the stop sequence TGI stopped on (the longest one it ends with). */
    static String stripStop(String text, String reason, List<String> stops) {
        if (!"stop_sequence".equals(reason) || stops.isEmpty()) {
            return text;
        }
        int strip = 0;
        for (String stop : stops) {
            if (stop.length() > strip && text.endsWith(stop)) {
                strip = stop.length();
            }
        }
        return text.substring(0, text.length() - strip);
    }

    @Override
    public StreamMapper stream(UpstreamCall call) {
        return new TgiStream(call);
    }

    @Override
    public GatewayError error(UpstreamCall call, UpstreamResponse response, Buffer body) {
        JsonNode json = ErrorBodies.json(body);
        return UpstreamErrors.fromStatus(call, response.status(), response.headers(),
                ErrorBodies.openAiMessage(json), "overloaded".equals(json.path("error_type").asText()));
    }

    /** The HTTP status TGI answers an {@code error_type} with, for errors that arrive inside a stream. */
    static int statusOf(String errorType) {
        return switch (errorType == null ? "" : errorType) {
            case "validation" -> 422;
            case "overloaded" -> 429;
            case "generation" -> 424;
            default -> 500;
        };
    }

    /**
     * Maps {@code /generate_stream}: each non-special {@code token.text} becomes content; the event with
     * {@code details} (or {@code generated_text}) ends the stream; an {@code {"error"}} event fails it. With stop
     * sequences, the last characters are held back so the one TGI stopped on can be left out.
     */
    static final class TgiStream extends TranslatingStream<OpenAiChunkStream> {

        private final List<String> stops;
        private final int holdBack;
        private final StringBuilder pending = new StringBuilder();

        TgiStream(UpstreamCall call) {
            super(call, OpenAiChunkStream.of(call), Framing.SSE);
            this.stops = Json.strings(call.request().path("stop"));
            this.holdBack = stops.stream().mapToInt(String::length).max().orElse(0);
        }

        @Override
        protected void upstreamEnded() {
            if (!done) {
                // cut short: what was generated still goes out; the core appends the error event
                out.content(pending.toString());
                pending.setLength(0);
            }
        }

        @Override
        protected void event(String name, String data) {
            if (done) {
                return;
            }
            JsonNode event;
            try {
                event = Json.read(data);
            } catch (Exception e) {
                fail(UpstreamErrors.malformed(call, "a stream event is not JSON"));
                return;
            }
            if (event.has("error")) {
                String type = event.path("error_type").asText(null);
                fail(UpstreamErrors.fromStatus(call, statusOf(type), null, event.path("error").asText(null),
                        "overloaded".equals(type)));
                return;
            }
            JsonNode token = event.path("token");
            if (token.isObject() && !token.path("special").asBoolean(false)) {
                append(token.path("text").asText(""));
            }
            JsonNode details = event.path("details");
            if (details.isObject() || event.hasNonNull("generated_text")) {
                String reason = details.path("finish_reason").asText(null);
                if (details.path("generated_tokens").isNumber()) {
                    call.usage().completionTokens = details.path("generated_tokens").asLong();
                }
                out.content(stripStop(pending.toString(), reason, stops));
                pending.setLength(0);
                done = true;
                out.end(finishReason(reason));
            }
        }

        /** Sends all but the last {@link #holdBack} characters (never splitting a surrogate pair). */
        private void append(String tokenText) {
            if (holdBack == 0) {
                out.content(tokenText);
                return;
            }
            pending.append(tokenText);
            int send = pending.length() - holdBack;
            if (send > 0 && Character.isHighSurrogate(pending.charAt(send - 1))) {
                send--;
            }
            if (send > 0) {
                out.content(pending.substring(0, send));
                pending.delete(0, send);
            }
        }

        /** An upstream error event: the stream ends with the error, and nothing follows it. */
        private void fail(GatewayError error) {
            done = true;
            out.fail(error);
        }
    }
}
