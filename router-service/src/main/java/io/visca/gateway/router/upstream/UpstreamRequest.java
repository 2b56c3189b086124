package io.visca.gateway.router.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/** One HTTP request to an upstream, as an adapter builds it; {@code headers} already carry the credentials. */
public record UpstreamRequest(HttpMethod method, String url, MultiMap headers, Buffer body) {
}
