package io.visca.gateway.router.adapter;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
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

    /**
     * The whole body, read up to {@code limit} bytes (a paused response is resumed); a larger one aborts the call as
     * a malformed answer.
     */
    public Future<Buffer> readBody(UpstreamCall call, int limit) {
        if (body != null) {
            return Future.succeededFuture(body);
        }
        Promise<Buffer> read = Promise.promise();
        Buffer whole = Buffer.buffer();
        live.handler(chunk -> {
            if (whole.length() + chunk.length() > limit) {
                live.handler(null);
                call.abort(UpstreamErrors.malformed(call, "the response is larger than " + limit + " bytes"));
                read.tryFail(call.aborted());
            } else {
                whole.appendBuffer(chunk);
            }
        });
        live.exceptionHandler(read::tryFail);
        live.endHandler(v -> read.tryComplete(whole));
        live.resume();
        return read.future();
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
