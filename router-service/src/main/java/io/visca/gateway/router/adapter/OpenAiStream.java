package io.visca.gateway.router.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes OpenAI's chat completion stream for adapters whose upstream streams another format: {@code
 * chat.completion.chunk} events (role first, then content or tool call deltas, then the finish reason), a usage chunk
 * when the client asked for one, and {@code data: [DONE]}. Counts what it sends, for usage estimates. The end, the
 * error end and the buffering are {@link OpenAiChunkStream}'s.
 */
public final class OpenAiStream extends OpenAiChunkStream {

    private boolean started;

    public OpenAiStream(UpstreamCall call) {
        super(call, "chatcmpl-", "chat.completion.chunk");
    }

    /** The upstream's own message id, if it sends one before the first chunk. */
    public OpenAiStream id(String value) {
        if (value != null && !value.isEmpty()) {
            this.id = value;
        }
        return this;
    }

    public OpenAiStream model(String value) {
        if (value != null && !value.isEmpty()) {
            this.model = value;
        }
        return this;
    }

    /** The first chunk: {@code delta.role = assistant}. Sent once; later calls do nothing. */
    public void start() {
        if (!started) {
            started = true;
            ObjectNode chunk = chunk();
            delta(chunk).put("role", "assistant").put("content", "");
            emit(chunk);
        }
    }

    @Override
    public void content(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        start();
        call.firstToken();
        generated(text.length());
        ObjectNode chunk = chunk();
        delta(chunk).put("content", text);
        emit(chunk);
    }

    /**
     * A tool call delta: the first one for an index carries {@code id} and {@code name}, later ones only argument
     * fragments (null where absent).
     */
    public void toolCall(int index, String toolCallId, String name, String argumentsFragment) {
        start();
        call.firstToken();
        ObjectNode chunk = chunk();
        ObjectNode toolCall = delta(chunk).putArray("tool_calls").addObject().put("index", index);
        if (toolCallId != null) {
            toolCall.put("id", toolCallId).put("type", "function");
        }
        ObjectNode function = toolCall.putObject("function");
        if (name != null) {
            function.put("name", name);
        }
        function.put("arguments", argumentsFragment == null ? "" : argumentsFragment);
        generated((name == null ? 0 : name.length()) + (argumentsFragment == null ? 0 : argumentsFragment.length()));
        emit(chunk);
    }

    /**
     * The chunk with the finish reason ({@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}),
     * after the first chunk if none was sent.
     */
    @Override
    protected ObjectNode finishChunk(String finishReason) {
        start();
        ObjectNode chunk = chunk();
        delta(chunk);
        choice(chunk).put("finish_reason", finishReason);
        return chunk;
    }

    private ObjectNode chunk() {
        ObjectNode chunk = base();
        chunk.putArray("choices").addObject().put("index", 0).putNull("logprobs").putNull("finish_reason");
        return chunk;
    }

    private static ObjectNode choice(ObjectNode chunk) {
        return (ObjectNode) chunk.get("choices").get(0);
    }

    private static ObjectNode delta(ObjectNode chunk) {
        return choice(chunk).putObject("delta");
    }
}
