package io.visca.gateway.router.adapter;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.CustomRequestConfig;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.TimeoutsConfig;
import io.visca.gateway.contracts.provider.TransformConfig;
import io.visca.gateway.kit.outbound.OutboundConfig;
import io.visca.gateway.outbound.OutboundPolicy;
import io.visca.gateway.router.config.RouterConfig;
import io.visca.gateway.router.routing.BreakerSettings;
import io.visca.gateway.router.routing.LiveState;
import io.visca.gateway.router.routing.ProviderRuntime;
import io.visca.gateway.router.upstream.UpstreamClient;
import io.visca.gateway.router.upstream.UpstreamRequest;

/**
 * For the adapter unit tests (plain JUnit, no Quarkus, no network): calls built as the core builds them (with
 * {@link ProviderAdapter#prepare}), a scripted {@link FakeHttp} in place of the upstream where an adapter sends
 * requests itself, and readers for the OpenAI SSE an adapter writes.
 */
public final class AdapterCallKit {

    public static final String REQUEST_ID = "req_kit0001";
    private static final LiveState LIVE = new LiveState(new BreakerSettings(5, java.time.Duration.ofSeconds(30)));

    private AdapterCallKit() {
    }

    /** What differs between the providers of these tests; everything else is fixed. */
    public record Setup(String baseUrl, String upstreamModel, TimeoutsConfig timeouts, CustomRequestConfig request,
            TransformConfig transform) {

        public static Setup of(String baseUrl, String upstreamModel) {
            return new Setup(baseUrl, upstreamModel, null, null, null);
        }

        public ProviderConfig provider(String type) {
            return new ProviderConfig("test-" + type, type, true, List.of(endpoint()), AuthConfig.none(),
                    List.of(model()), null, timeouts, null, null, request, transform);
        }

        public EndpointConfig endpoint() {
            return new EndpointConfig("ep-1", baseUrl, 1);
        }

        public ModelConfig model() {
            return new ModelConfig("client-model", null, upstreamModel, null, null, null, null, null);
        }
    }

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.read(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    public static JsonNode parse(Buffer buffer) {
        try {
            return Json.read(buffer);
        } catch (Exception e) {
            throw new IllegalArgumentException(buffer.toString(), e);
        }
    }

    /**
     * A call of provider {@code test-<type>}, model {@code client-model} served as {@code setup.upstreamModel()}.
     *
     * @param http the upstream, or null for tests that only map requests, responses, streams and errors
     */
    public static UpstreamCall call(ProviderAdapter adapter, Setup setup, Operation operation, String request,
            MultiMap credentials, UpstreamClient http) {
        ProviderConfig provider = setup.provider(adapter.type());
        ObjectNode body = json(request);
        return new UpstreamCall(REQUEST_ID, operation, body, Json.write(body),
                new ProviderRuntime(provider, adapter, adapter.prepare(provider), LIVE), setup.model(),
                setup.endpoint(), credentials, http);
    }

    /** Feeds {@code upstream} to the mapper in chunks of the given sizes (cycled), then ends it: all output. */
    public static Buffer feed(StreamMapper mapper, String upstream, int... sizes) {
        byte[] bytes = upstream.getBytes(StandardCharsets.UTF_8);
        Buffer out = Buffer.buffer();
        int at = 0;
        int k = 0;
        while (at < bytes.length) {
            int size = Math.min(sizes[k++ % sizes.length], bytes.length - at);
            out.appendBuffer(mapper.data(Buffer.buffer(Arrays.copyOfRange(bytes, at, at + size))));
            at += size;
        }
        return out.appendBuffer(mapper.end());
    }

    /** The {@code data:} payloads of an SSE body, JSON parsed; {@code [DONE]} as the text node "[DONE]". */
    public static List<JsonNode> events(Buffer sse) {
        List<JsonNode> events = new ArrayList<>();
        String text = sse.toString(StandardCharsets.UTF_8);
        if (!text.isEmpty() && !text.endsWith("\n\n")) {
            throw new AssertionError("the SSE body does not end with a blank line: " + text);
        }
        for (String event : text.split("\n\n")) {
            if (event.isEmpty()) {
                continue;
            }
            if (!event.startsWith("data: ")) {
                throw new AssertionError("not a data event: " + event);
            }
            String data = event.substring(6);
            try {
                events.add("[DONE]".equals(data) ? TextNode.valueOf("[DONE]") : Json.read(data));
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + data, e);
            }
        }
        return events;
    }

    /** Chat content deltas (or text completion texts) joined. */
    public static String content(List<JsonNode> events) {
        StringBuilder out = new StringBuilder();
        for (JsonNode event : events) {
            JsonNode choice = event.path("choices").path(0);
            out.append(choice.has("delta") ? choice.path("delta").path("content").asText("")
                    : choice.path("text").asText(""));
        }
        return out.toString();
    }

    /** The argument fragments of chat tool call {@code index} joined. */
    public static String arguments(List<JsonNode> events, int index) {
        StringBuilder out = new StringBuilder();
        for (JsonNode event : events) {
            for (JsonNode toolCall : event.path("choices").path(0).path("delta").path("tool_calls")) {
                if (toolCall.path("index").asInt() == index) {
                    out.append(toolCall.path("function").path("arguments").asText(""));
                }
            }
        }
        return out.toString();
    }

    /** The finish reasons sent, in order. */
    public static List<String> finishReasons(List<JsonNode> events) {
        List<String> out = new ArrayList<>();
        for (JsonNode event : events) {
            JsonNode reason = event.path("choices").path(0).path("finish_reason");
            if (reason.isTextual()) {
                out.add(reason.asText());
            }
        }
        return out;
    }

    public static JsonNode last(List<JsonNode> events) {
        return events.get(events.size() - 1);
    }

    public static MultiMap headers(String... nameValues) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    /** The failure of a future that completed (these tests never leave one pending). */
    public static Throwable failure(Future<?> future) {
        if (!future.isComplete()) {
            throw new AssertionError("the future is still pending");
        }
        if (future.succeeded()) {
            throw new AssertionError("expected a failure, got " + future.result());
        }
        return future.cause();
    }

    public static <T> T result(Future<T> future) {
        if (!future.isComplete()) {
            throw new AssertionError("the future is still pending");
        }
        if (future.failed()) {
            throw new AssertionError("failed", future.cause());
        }
        return future.result();
    }

    /**
     * An {@link UpstreamClient} that answers from a script, records each request and each {@code sleep}, and sleeps
     * no time. Everything completes synchronously, so a test reads a future's result right away.
     */
    public static final class FakeHttp extends UpstreamClient {

        private final Deque<HttpClientResponse> answers = new ArrayDeque<>();
        public final List<UpstreamRequest> requests = new ArrayList<>();
        public final List<Long> sleeps = new ArrayList<>();
        /** Runs on each sleep, e.g. to abort the call meanwhile. */
        public Consumer<Long> onSleep = millis -> {
        };

        public FakeHttp() {
            super(stub(Vertx.class, Map.of("setPeriodic", 1L)), routerConfig());
        }

        public FakeHttp answer(int status, String body, String... headerNameValues) {
            answers.add(response(status, headers(headerNameValues), Buffer.buffer(body)));
            return this;
        }

        @Override
        public Future<HttpClientResponse> send(UpstreamClient.Exchange call, UpstreamRequest request) {
            requests.add(request);
            if (answers.isEmpty()) {
                return Future.failedFuture(new AssertionError("no scripted answer for " + request.url()));
            }
            return Future.succeededFuture(answers.removeFirst());
        }

        @Override
        public Future<Void> sleep(long millis) {
            sleeps.add(millis);
            onSleep.accept(millis);
            return Future.succeededFuture();
        }

        public UpstreamRequest request(int index) {
            return requests.get(index);
        }

        private static RouterConfig routerConfig() {
            RouterConfig.Upstream upstream = stub(RouterConfig.Upstream.class,
                    Map.of("maxConnectionsPerEndpoint", 10, "keepAliveTimeout", Duration.ofSeconds(60), "maxEventBytes",
                            1 << 20));
            OutboundConfig outbound = stub(OutboundConfig.class, Map.of("policy", OutboundPolicy.defaults()));
            return stub(RouterConfig.class, Map.of("upstream", upstream, "outbound", outbound));
        }

        /**
         * A live upstream response whose whole body is {@code body}: read with {@code body()}, or with handlers
         * (the body as one chunk, then the end, on {@code resume()}).
         */
        @SuppressWarnings("unchecked")
        public static HttpClientResponse response(int status, MultiMap headers, Buffer body) {
            Object[] handlers = new Object[2];
            HttpClientResponse[] self = new HttpClientResponse[1];
            self[0] = (HttpClientResponse) Proxy.newProxyInstance(AdapterCallKit.class.getClassLoader(),
                    new Class<?>[] { HttpClientResponse.class }, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "statusCode":
                                return status;
                            case "headers":
                                return headers;
                            case "body":
                                return Future.succeededFuture(body);
                            case "handler":
                                handlers[0] = args[0];
                                return proxy;
                            case "endHandler":
                                handlers[1] = args[0];
                                return proxy;
                            case "exceptionHandler", "pause":
                                return proxy;
                            case "resume":
                                if (handlers[0] != null) {
                                    ((io.vertx.core.Handler<Buffer>) handlers[0]).handle(body);
                                }
                                if (handlers[1] != null) {
                                    ((io.vertx.core.Handler<Void>) handlers[1]).handle(null);
                                }
                                return proxy;
                            case "toString":
                                return "stub HttpClientResponse";
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            case "equals":
                                return proxy == args[0];
                            default:
                                throw new UnsupportedOperationException("HttpClientResponse." + method.getName());
                        }
                    });
            return self[0];
        }
    }

    /**
     * An interface implementation answering the named no-argument methods with fixed values; Vert.x factories return
     * further stubs (the fake client never opens a connection).
     */
    @SuppressWarnings("unchecked")
    public static <T> T stub(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(AdapterCallKit.class.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (values.containsKey(name)) {
                        return values.get(name);
                    }
                    switch (name) {
                        case "toString":
                            return "stub " + type.getSimpleName();
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "createHttpClient":
                            return stub(HttpClient.class, Map.of());
                        default:
                            throw new UnsupportedOperationException(type.getSimpleName() + "." + name);
                    }
                });
    }
}
