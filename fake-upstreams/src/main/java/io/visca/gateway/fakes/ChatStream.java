package io.visca.gateway.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.fakes.FakeUpstream.Generation;
import io.visca.gateway.fakes.FakeUpstream.ToolCall;

/**
 * OpenAI's chat completion stream: a first chunk with the role, one {@code chat.completion.chunk} per token (or per
 * fragment of a tool call's arguments), a last chunk with the finish reason, then the usage chunk if asked, then
 * {@code data: [DONE]}.
 */
final class ChatStream {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatStream() {
    }

    /**
     * @param usage the usage to send in a last chunk ({@code stream_options.include_usage}), or null
     */
    static void write(EventStream out, String id, String model, Generation gen, ToolCall call, ObjectNode usage) {
        Writer w = new Writer(out, id, model, System.currentTimeMillis() / 1000, usage != null);
        ObjectNode first = w.delta().put("role", "assistant");
        if (call != null) {
            first.putNull("content");
            ObjectNode tc = first.putArray("tool_calls").addObject().put("index", 0)
                    .put("id", "call_" + Integer.toHexString(id.hashCode()))
                    .put("type", "function");
            tc.putObject("function").put("name", call.name()).put("arguments", "");
            first.putNull("refusal");
            w.send(null);
            for (String fragment : FakeUpstream.fragments(call.argumentsJson(), 8)) {
                w.delta().putArray("tool_calls").addObject().put("index", 0).putObject("function")
                        .put("arguments", fragment);
                w.send(null);
            }
            w.delta();
            w.send("tool_calls");
        } else {
            first.put("content", "").putNull("refusal");
            w.send(null);
            for (String piece : gen.pieces()) {
                w.delta().put("content", piece);
                w.send(null);
            }
            w.delta();
            w.send(FakeOpenAiServer.finishReason(gen));
        }
        if (usage != null) {
            ObjectNode last = w.chunk();
            last.putArray("choices");
            last.set("usage", usage);
            out.send(EventStream.sse(last.toString()));
        }
        out.end(EventStream.sse("[DONE]"));
    }

    /** Builds the chunks of one stream. */
    private static final class Writer {
        private final EventStream out;
        private final String id;
        private final String model;
        private final long created;
        private final boolean nullUsage;
        private ObjectNode chunk;
        private ObjectNode choice;

        Writer(EventStream out, String id, String model, long created, boolean nullUsage) {
            this.out = out;
            this.id = id;
            this.model = model;
            this.created = created;
            this.nullUsage = nullUsage;
        }

        ObjectNode chunk() {
            return JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                    .put("model", model).put("system_fingerprint", "fp_fake");
        }

        /** Starts a chunk; returns its delta to fill. */
        ObjectNode delta() {
            chunk = chunk();
            choice = chunk.putArray("choices").addObject().put("index", 0);
            return choice.putObject("delta");
        }

        void send(String finishReason) {
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason);
            if (nullUsage) {
                chunk.putNull("usage");
            }
            out.send(EventStream.sse(chunk.toString()));
        }
    }
}
