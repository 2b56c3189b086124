package io.visca.gateway.router.adapter;

import io.vertx.core.buffer.Buffer;

/**
 * Turns one upstream stream into OpenAI's chat completion SSE stream, chunk by chunk as bytes arrive (a chunk may end
 * mid-event). Stateful, one per call; fills the call's usage as it goes.
 */
public interface StreamMapper {

    /** @return OpenAI SSE bytes to send now, possibly empty */
    Buffer data(Buffer upstreamChunk);

    /** The upstream stream ended: @return what is left to send, ending with {@code data: [DONE]} */
    Buffer end();

    /** Whether the upstream stream reached its own end event (else it was cut short). */
    boolean complete();
}
