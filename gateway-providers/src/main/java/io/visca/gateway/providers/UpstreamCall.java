package io.visca.gateway.providers;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One HTTP request to an endpoint, as data: the caller resolves {@link #path()} against the endpoint's base URL, adds
 * the provider's auth and sends it with its own client.
 *
 * @param path relative to the base URL, starting with {@code /} (appended to it)
 * @param body a JSON body, or null for none
 * @param headers the type's headers; values may be {@code ${NAME}} references ({@code custom}'s request headers)
 */
public record UpstreamCall(String method, String path, JsonNode body, Map<String, String> headers) {

    public UpstreamCall {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A GET without a body. */
    public static UpstreamCall get(String path, Map<String, String> headers) {
        return new UpstreamCall("GET", path, null, headers);
    }

    /** {@code METHOD path}, as reports name the call. */
    public String describe() {
        return method + " " + path;
    }
}
