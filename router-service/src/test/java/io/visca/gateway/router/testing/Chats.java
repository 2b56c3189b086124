package io.visca.gateway.router.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;

/** Requests and stream reading shared by the router's tests. */
public final class Chats {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Chats() {
    }

    public static ChatCompletionCreateParams.Builder chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("You are terse.")
                .addUserMessage("Tell me a fact about foxes");
    }

    public static ChatCompletionFunctionTool weatherTool() {
        return ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder().name("get_weather").description("Weather in a city")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties",
                                        JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .build())
                        .build())
                .build();
    }

    /** What a streamed chat came to, read through the SDK. */
    public record Streamed(String content, List<ChatCompletionChunk> chunks, CompletionUsage usage,
            String toolName, String toolArguments, String finishReason) {
    }

    /** Streams {@code model} with {@code stream_options.include_usage} through the SDK and gathers the chunks. */
    public static Streamed stream(ChatCompletionCreateParams.Builder params) {
        StringBuilder content = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        String[] toolName = { null };
        String[] finish = { null };
        CompletionUsage[] usage = { null };
        try (StreamResponse<ChatCompletionChunk> stream = RouterApi.sdk().chat().completions().createStreaming(
                params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                chunk.usage().ifPresent(u -> usage[0] = u);
                chunk.choices().forEach(choice -> {
                    choice.delta().content().ifPresent(content::append);
                    choice.finishReason().ifPresent(reason -> finish[0] = reason.asString());
                    choice.delta().toolCalls().ifPresent(calls -> calls.forEach(call -> call.function()
                            .ifPresent(function -> {
                                function.name().ifPresent(name -> toolName[0] = name);
                                function.arguments().ifPresent(arguments::append);
                            })));
                });
            });
        }
        return new Streamed(content.toString(), chunks, usage[0], toolName[0],
                arguments.length() == 0 ? null : arguments.toString(), finish[0]);
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
