package io.visca.gateway.router.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;
import io.visca.gateway.router.proxy.GatewayError;
import io.visca.gateway.router.proxy.OpenAiErrors;

/**
 * Writes OpenAI's chat completion stream for adapters whose upstream streams another format: {@code
 * chat.completion.chunk} events (role first, then content or tool call deltas, then the finish reason), a usage chunk
 * when the client asked for one, and {@code data: [DONE]}. Counts what it sends, for usage estimates.
 */
public final class OpenAiStream {

    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final UpstreamCall call;
    private final long created = System.currentTimeMillis() / 1000;
    private String id;
    private String model;
    private Buffer out = Buffer.buffer(256);
    private boolean started;
    private boolean finished;
    private boolean ended;
    private long generatedChars;

    public OpenAiStream(UpstreamCall call) {
        this.call = call;
        this.id = "chatcmpl-" + call.requestId();
        this.model = call.model().upstreamId();
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

    public void content(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        start();
        call.firstToken();
        generatedChars += text.length();
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
        generatedChars += (name == null ? 0 : name.length())
                + (argumentsFragment == null ? 0 : argumentsFragment.length());
        emit(chunk);
    }

    /** The chunk with the finish reason ({@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}). */
    public void finish(String finishReason) {
        if (finished) {
            return;
        }
        start();
        finished = true;
        ObjectNode chunk = chunk();
        delta(chunk);
        choice(chunk).put("finish_reason", finishReason);
        emit(chunk);
    }

    /**
     * The normal end: the finish chunk if none was sent, the usage chunk when the client asked for it (usage estimated
     * where the upstream reported none), then {@code [DONE]}.
     */
    public void end(String finishReason) {
        if (ended) {
            return;
        }
        finish(finishReason);
        TokenEstimates.complete(call.usage(), call.request(), generatedChars);
        if (call.clientWantsUsage()) {
            ObjectNode chunk = base();
            chunk.putArray("choices");
            chunk.set("usage", OpenAiResponses.usage(call.usage()));
            emit(chunk);
        }
        out.appendBuffer(DONE);
        ended = true;
    }

    /** Ends the stream with an error event (the client already has the first byte, so no status can change). */
    public void fail(GatewayError error) {
        if (ended) {
            return;
        }
        TokenEstimates.complete(call.usage(), call.request(), generatedChars);
        call.streamFailed(error);
        out.appendBuffer(OpenAiErrors.sseEvent(error));
        ended = true;
    }

    public boolean ended() {
        return ended;
    }

    /** What was written since the last call. */
    public Buffer take() {
        Buffer taken = out;
        out = Buffer.buffer(256);
        return taken;
    }

    private ObjectNode base() {
        return Json.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
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

    private void emit(ObjectNode chunk) {
        out.appendString("data: ").appendBuffer(Json.write(chunk)).appendString("\n\n");
    }
}
