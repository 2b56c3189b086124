package io.visca.gateway.registry.provider.client;

import java.nio.charset.StandardCharsets;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * A response body read as UTF-8 text, up to a number of bytes: a longer body fails the call with
 * {@link TooLarge} as soon as it passes the bound, so an upstream cannot make the registry buffer an unbounded answer.
 */
final class BoundedBody implements BodyCodec<String> {

    /** The body passed the bound. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long maxBytes) {
            super("the body is larger than " + maxBytes + " bytes", null, false, false);
        }
    }

    private final int maxBytes;

    private BoundedBody(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    static io.vertx.mutiny.ext.web.codec.BodyCodec<String> atMost(int maxBytes) {
        return io.vertx.mutiny.ext.web.codec.BodyCodec.newInstance(new BoundedBody(maxBytes));
    }

    @Override
    public void create(Handler<AsyncResult<BodyStream<String>>> callback) {
        callback.handle(Future.succeededFuture(new Stream()));
    }

    private final class Stream implements BodyStream<String> {
        private final Buffer body = Buffer.buffer();
        private final Promise<String> result = Promise.promise();

        @Override
        public Future<String> result() {
            return result.future();
        }

        @Override
        public void handle(Throwable failure) {
            result.tryFail(failure);
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public Future<Void> write(Buffer data) {
            if (result.future().isComplete()) {
                return Future.failedFuture(new TooLarge(maxBytes));
            }
            if (body.length() + data.length() > maxBytes) {
                TooLarge tooLarge = new TooLarge(maxBytes);
                result.tryFail(tooLarge);
                return Future.failedFuture(tooLarge);
            }
            body.appendBuffer(data);
            return Future.succeededFuture();
        }

        @Override
        public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
            Future<Void> written = write(data);
            if (handler != null) {
                handler.handle(written);
            }
        }

        @Override
        public void end(Handler<AsyncResult<Void>> handler) {
            result.tryComplete(body.toString(StandardCharsets.UTF_8));
            if (handler != null) {
                handler.handle(Future.succeededFuture());
            }
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            return this;
        }
    }
}
