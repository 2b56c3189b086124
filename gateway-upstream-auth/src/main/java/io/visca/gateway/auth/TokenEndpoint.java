package io.visca.gateway.auth;

import java.time.Duration;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * How {@link OAuth2TokenCache} reaches a token endpoint: each service plugs in its own non-blocking HTTP client.
 */
@FunctionalInterface
public interface TokenEndpoint {

    /**
     * POSTs {@code form} (already {@code application/x-www-form-urlencoded}) to {@code url} with {@code headers}
     * (content type, accept and the client's Basic credentials), giving up after {@code timeout}.
     *
     * @return the answer, whatever its status; fails only when there is none (connection, TLS, timeout, ...)
     */
    Future<Reply> post(String url, MultiMap headers, String form, Duration timeout);

    /** A token endpoint's answer: its status and its whole body. */
    record Reply(int status, Buffer body) {
    }
}
