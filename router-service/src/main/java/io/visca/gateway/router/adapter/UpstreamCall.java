package io.visca.gateway.router.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.TimeoutsConfig;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamClient;
import io.visca.gateway.router.upstream.UpstreamRequest;

/**
 * One attempt to serve a client request from one endpoint: what the adapter reads to build the upstream request, and
 * what it fills in (usage, time to first token). Lives on one event loop; not shared between threads.
 */
public final class UpstreamCall implements UpstreamClient.Exchange {

    private final String requestId;
    private final Operation operation;
    private final ObjectNode request;
    private final Buffer rawRequest;
    private final UpstreamProvider provider;
    private final ModelConfig model;
    private final EndpointConfig endpoint;
    private final MultiMap credentials;
    private final UpstreamClient http;
    private final boolean stream;
    private final boolean clientWantsUsage;
    private final Usage usage = new Usage();
    private final long startNanos = System.nanoTime();
    private long firstTokenNanos;
    private long upstreamNanos;
    private HttpClientRequest inFlight;
    private GatewayError aborted;
    private GatewayError streamFailure;
    private boolean responded;
    private Object mapped;

    public UpstreamCall(String requestId, Operation operation, ObjectNode request, Buffer rawRequest,
            UpstreamProvider provider, ModelConfig model, EndpointConfig endpoint, MultiMap credentials, UpstreamClient http) {
        this.requestId = requestId;
        this.operation = operation;
        this.request = request;
        this.rawRequest = rawRequest;
        this.provider = provider;
        this.model = model;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.http = http;
        this.stream = request.path("stream").asBoolean(false);
        this.clientWantsUsage = stream && request.path("stream_options").path("include_usage").asBoolean(false);
    }

    public String requestId() {
        return requestId;
    }

    public Operation operation() {
        return operation;
    }

    /** The client's request, parsed once. Adapters build their own body from it and leave it unchanged. */
    public ObjectNode request() {
        return request;
    }

    /** The client's request bytes, for adapters that can forward them unchanged. */
    public Buffer rawRequest() {
        return rawRequest;
    }

    public UpstreamProvider provider() {
        return provider;
    }

    public ModelConfig model() {
        return model;
    }

    public EndpointConfig endpoint() {
        return endpoint;
    }

    @Override
    public int connectMs() {
        return timeouts().connectMs();
    }

    public TimeoutsConfig timeouts() {
        return provider.timeouts();
    }

    public boolean stream() {
        return stream;
    }

    /** Whether the client asked for a usage chunk ({@code stream_options.include_usage}). */
    public boolean clientWantsUsage() {
        return clientWantsUsage;
    }

    public Usage usage() {
        return usage;
    }

    public UpstreamClient http() {
        return http;
    }

    /**
     * The longest line or SSE event of an upstream stream ({@code router.upstream.max-event-bytes}); the default (1 MiB)
     * for a call without an upstream client (the adapters' unit tests map streams they are handed).
     */
    public int maxEventBytes() {
        return http == null ? 1 << 20 : http.maxEventBytes();
    }

    /** {@code endpoint base URL + path}, with exactly one slash between them. */
    public String url(String path) {
        String base = endpoint.baseUrl();
        boolean slashEnd = base.endsWith("/");
        boolean slashStart = path.startsWith("/");
        if (slashEnd && slashStart) {
            return base + path.substring(1);
        }
        return slashEnd || slashStart || path.isEmpty() ? base + path : base + "/" + path;
    }

    /** Headers of a JSON call: content type, the provider's credentials and the request id. */
    public MultiMap jsonHeaders() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        headers.set("content-type", "application/json");
        headers.set("accept", stream ? "text/event-stream, application/json" : "application/json");
        headers.set("x-request-id", requestId);
        headers.addAll(credentials);
        return headers;
    }

    /** POSTs {@code body} as JSON to {@code path} under the endpoint's base URL. */
    public Future<UpstreamResponse> postJson(String path, Buffer body) {
        return send(new UpstreamRequest(HttpMethod.POST, url(path), jsonHeaders(), body));
    }

    public Future<UpstreamResponse> send(UpstreamRequest upstreamRequest) {
        if (aborted != null) {
            return Future.failedFuture(aborted);
        }
        return http.send(this, upstreamRequest).map(UpstreamResponse::live);
    }

    /** The request now in flight, so a timeout or a client leaving can cancel it. */
    @Override
    public void inFlight(HttpClientRequest current) {
        this.inFlight = current;
        if (aborted != null) {
            // aborted while the request was on its way (e.g. its host name being looked up): it never goes out
            current.reset(0, aborted);
        }
        if (upstreamNanos == 0) {
            upstreamNanos = System.nanoTime();
        }
    }

    /** An upstream response head arrived (the first-byte timeout no longer applies). */
    @Override
    public void respond() {
        responded = true;
    }

    public boolean responded() {
        return responded;
    }

    /** What the adapter's {@code send} already made of a successful answer, for its {@code response}. */
    public void mapped(Object value) {
        this.mapped = value;
    }

    public Object mapped() {
        return mapped;
    }

    /** Cancels the upstream request in flight; later sends fail with {@code reason}. */
    public void abort(GatewayError reason) {
        if (aborted == null) {
            aborted = reason;
        }
        HttpClientRequest current = inFlight;
        if (current != null) {
            current.reset(0, reason);
        }
    }

    /** Why the call was aborted (total timeout, client gone), or null. */
    public GatewayError aborted() {
        return aborted;
    }

    /** The upstream reported an error inside a stream (the mapper already sent the client its error event). */
    public void streamFailed(GatewayError error) {
        if (streamFailure == null) {
            streamFailure = error;
        }
    }

    public GatewayError streamFailure() {
        return streamFailure;
    }

    /** Marks the first generated token (content or tool call) of the answer. */
    public void firstToken() {
        if (firstTokenNanos == 0) {
            firstTokenNanos = System.nanoTime();
        }
    }

    public long startNanos() {
        return startNanos;
    }

    public long firstTokenNanos() {
        return firstTokenNanos;
    }

    /** When the first upstream request went out (0 before). */
    public long upstreamNanos() {
        return upstreamNanos;
    }
}
