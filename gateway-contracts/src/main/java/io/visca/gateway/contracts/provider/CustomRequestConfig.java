package io.visca.gateway.contracts.provider;

import java.util.Map;

/** For {@code custom} providers: the HTTP request the model API expects, relative to each endpoint's base URL. */
public record CustomRequestConfig(String method, String path, Map<String, String> headers) {

    public CustomRequestConfig {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
