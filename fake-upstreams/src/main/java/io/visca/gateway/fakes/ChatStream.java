package io.visca.gateway.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerResponse;

/** OpenAI's chat completion stream: one {@code chat.completion.chunk} per word, then usage if asked, then [DONE]. */
final class ChatStream {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatStream() {
    }

    static void write(HttpServerResponse res, String id, String model, String text, long promptTokens,
            long completionTokens, boolean includeUsage) {
        res.setStatusCode(200).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache")
                .setChunked(true);
        long created = System.currentTimeMillis() / 1000;
        ObjectNode first = chunk(id, model, created);
        first.withArray("choices").addObject().put("index", 0).putNull("finish_reason").putObject("delta")
                .put("role", "assistant").put("content", "");
        send(res, first, includeUsage);
        String[] words = text.trim().isEmpty() ? new String[0] : text.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            ObjectNode c = chunk(id, model, created);
            c.withArray("choices").addObject().put("index", 0).putNull("finish_reason").putObject("delta")
                    .put("content", i == 0 ? words[i] : " " + words[i]);
            send(res, c, includeUsage);
        }
        ObjectNode last = chunk(id, model, created);
        last.withArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("delta");
        send(res, last, includeUsage);
        if (includeUsage) {
            ObjectNode usage = chunk(id, model, created);
            usage.putArray("choices");
            FakeOpenAiServer.usage(usage, promptTokens, completionTokens);
            res.write("data: " + usage + "\n\n");
        }
        res.end("data: [DONE]\n\n");
    }

    private static ObjectNode chunk(String id, String model, long created) {
        return JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model).put("system_fingerprint", "fp_fake");
    }

    private static void send(HttpServerResponse res, ObjectNode chunk, boolean includeUsage) {
        if (includeUsage) {
            chunk.putNull("usage");
        }
        res.write("data: " + chunk + "\n\n");
    }
}
