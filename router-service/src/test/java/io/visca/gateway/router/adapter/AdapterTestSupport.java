package io.visca.gateway.router.adapter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.router.routing.ModelRoute;
import io.visca.gateway.router.routing.ProviderRuntime;

/** Builds calls for adapter unit tests (no Quarkus, no network) and reads the OpenAI SSE an adapter writes. */
final class AdapterTestSupport {

    static final String REQUEST_ID = "req_test0001";

    private AdapterTestSupport() {
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.read(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static JsonNode parse(Buffer buffer) {
        try {
            return Json.read(buffer);
        } catch (Exception e) {
            throw new IllegalArgumentException(buffer.toString(), e);
        }
    }

    /** A call of provider {@code test-<type>}, model {@code client-model} served upstream as {@code upstreamModel}. */
    static UpstreamCall call(ProviderAdapter adapter, Operation operation, ObjectNode request, String baseUrl,
            String upstreamModel, MultiMap credentials) {
        EndpointConfig endpoint = new EndpointConfig("ep-1", baseUrl, 1);
        ModelConfig model = new ModelConfig("client-model", null, upstreamModel, null, null, null, null, null);
        ProviderConfig provider = new ProviderConfig("test-" + adapter.type(), adapter.type(), true,
                List.of(endpoint), AuthConfig.none(), List.of(model), null, null, null, null, null, null);
        return new UpstreamCall(REQUEST_ID, operation, request, Json.write(request),
                new ModelRoute(new ProviderRuntime(provider, adapter, null), model), endpoint, credentials, null);
    }

    /** Feeds {@code upstream} to the mapper in chunks of the given sizes (cycled), then ends it: all output. */
    static Buffer feed(StreamMapper mapper, String upstream, int... sizes) {
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
    static List<JsonNode> events(Buffer sse) {
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

    /** The chat content deltas joined. */
    static String content(List<JsonNode> events) {
        StringBuilder out = new StringBuilder();
        for (JsonNode event : events) {
            out.append(event.path("choices").path(0).path("delta").path("content").asText(""));
        }
        return out.toString();
    }

    /** The argument fragments of tool call {@code index} joined. */
    static String arguments(List<JsonNode> events, int index) {
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
    static List<String> finishReasons(List<JsonNode> events) {
        List<String> out = new ArrayList<>();
        for (JsonNode event : events) {
            JsonNode reason = event.path("choices").path(0).path("finish_reason");
            if (reason.isTextual()) {
                out.add(reason.asText());
            }
        }
        return out;
    }
}
