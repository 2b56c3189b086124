package io.visca.gateway.router.quota;

import io.vertx.core.Context;
import io.vertx.core.Promise;

/**
 * A request waiting for quota this router does not hold yet: completed on its own event loop's context, so the
 * request goes on where it started.
 *
 * @param amount what it needs (USD for a budget, requests or tokens for a rate)
 */
record Waiting<T, A>(A amount, Promise<T> promise, Context context, long sinceNanos) {

    Waiting(A amount, Promise<T> promise, Context context) {
        this(amount, promise, context, System.nanoTime());
    }

    void complete(T value) {
        run(() -> promise.complete(value));
    }

    void fail(Throwable failure) {
        run(() -> promise.fail(failure));
    }

    private void run(Runnable action) {
        if (context == null) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
