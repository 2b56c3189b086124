package io.visca.gateway.kit.admin.error;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;

/**
 * Gives every request to a service with an admin API an id: the client's {@code x-request-id} when it is sane, a
 * generated one otherwise. The id is written back into the request headers (so resources and exception mappers read
 * it like any header) and echoed as a response header on every route, {@code /q/*} included.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "x-request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String id = normalize(rc.request().getHeader(HEADER));
            rc.request().headers().set(HEADER, id);
            rc.response().putHeader(HEADER, id);
            rc.next();
        }, 1000);
    }

    /** The client's id when it is sane (1 to 128 letters, digits and {@code ._:-}), a generated one otherwise. */
    static String normalize(String candidate) {
        return candidate != null && SANE.matcher(candidate).matches() ? candidate : "req_" + UUID.randomUUID();
    }

    /** The id of the current request, given its {@code x-request-id} header value. */
    public static String orGenerate(String header) {
        return header == null || header.isBlank() ? "req_" + UUID.randomUUID() : header;
    }
}
