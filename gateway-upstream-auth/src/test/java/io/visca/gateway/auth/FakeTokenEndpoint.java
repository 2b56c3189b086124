package io.visca.gateway.auth;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * A token endpoint in memory: records each request and answers with the next queued reply, or with a token
 * {@code tok-N} valid for {@link #expiresIn} seconds when none is queued. {@link #hold()} keeps the next answer
 * pending until the test completes it.
 */
final class FakeTokenEndpoint implements TokenEndpoint {

    record Request(String url, MultiMap headers, String form, Duration timeout) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Supplier<Future<Reply>>> replies = new ArrayDeque<>();
    private long expiresIn = 3600;
    private int issued;

    @Override
    public synchronized Future<Reply> post(String url, MultiMap headers, String form, Duration timeout) {
        requests.add(new Request(url, MultiMap.caseInsensitiveMultiMap().addAll(headers), form, timeout));
        Supplier<Future<Reply>> next = replies.poll();
        return next != null ? next.get() : Future.succeededFuture(token());
    }

    synchronized FakeTokenEndpoint expiresIn(long seconds) {
        this.expiresIn = seconds;
        return this;
    }

    /** The next request answers with this status and body. */
    synchronized FakeTokenEndpoint reply(int status, String body) {
        replies.add(() -> Future.succeededFuture(new Reply(status, body == null ? null : Buffer.buffer(body))));
        return this;
    }

    /** The next request gets no answer: it fails with {@code failure}. */
    synchronized FakeTokenEndpoint fail(Throwable failure) {
        replies.add(() -> Future.failedFuture(failure));
        return this;
    }

    /** The next request's answer waits for the returned promise; complete it with {@link #token()}. */
    synchronized Promise<Reply> hold() {
        Promise<Reply> pending = Promise.promise();
        replies.add(pending::future);
        return pending;
    }

    /** A new token {@code tok-N}, as an answer. */
    synchronized Reply token() {
        issued++;
        return new Reply(200, Buffer.buffer("{\"access_token\":\"tok-" + issued + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":" + expiresIn + "}"));
    }

    List<Request> requests() {
        return requests;
    }
}
