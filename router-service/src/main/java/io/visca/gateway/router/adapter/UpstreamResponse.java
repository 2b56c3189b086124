package io.visca.gateway.router.adapter;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * What an adapter's {@code send} got back: either the live upstream response (its body not read yet, so a stream can
 * be piped) or a body the adapter already read (polling APIs, non-streaming upstreams behind a streaming request).
 */
public record UpstreamResponse(int status, MultiMap headers, HttpClientResponse live, Buffer body) {

    public static UpstreamResponse live(HttpClientResponse response) {
        return new UpstreamResponse(response.statusCode(), response.headers(), response, null);
    }

    public static UpstreamResponse read(int status, MultiMap headers, Buffer body) {
        return new UpstreamResponse(status, headers, null, body);
    }

    /** The whole body: the one already read, else the live response's, read now. */
    public Future<Buffer> readBody() {
        return live == null ? Future.succeededFuture(body) : live.body();
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
