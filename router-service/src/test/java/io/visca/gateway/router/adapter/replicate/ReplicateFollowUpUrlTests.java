package io.visca.gateway.router.adapter.replicate;

import static io.visca.gateway.router.adapter.AdapterCallKit.failure;
import static io.visca.gateway.router.adapter.AdapterCallKit.headers;
import static io.visca.gateway.router.adapter.AdapterCallKit.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.visca.gateway.router.adapter.AdapterCallKit;
import io.visca.gateway.router.adapter.AdapterCallKit.FakeHttp;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamRequest;

/**
 * {@link ReplicateAdapter} and the URLs a prediction hands back: {@code urls.get} is polled only on the endpoint's own
 * origin, {@code urls.stream} there or on Replicate's stream hosts (then without credentials); anything else fails the
 * attempt before a request goes there. Without Quarkus or a network ({@code ReplicateFollowUpTests} has the real one).
 */
class ReplicateFollowUpUrlTests {

    private static final String BASE = "https://api.replicate.com/v1";
    private static final String GET_URL = "https://api.replicate.com/v1/predictions/p9";
    private static final String STREAM_URL = "https://stream.replicate.com/v1/files/abc";
    private static final String CHAT = """
            {"model": "client-model", "messages": [{"role": "user", "content": "Hi"}]}
            """;
    private static final String CHAT_STREAM = """
            {"model": "client-model", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}
            """;

    private final ReplicateAdapter adapter = new ReplicateAdapter();
    private final FakeHttp http = new FakeHttp();

    private UpstreamCall call(ReplicateAdapter with, String request) {
        return AdapterCallKit.call(with, Setup.of(BASE, "meta/llama"), Operation.CHAT, request,
                headers("authorization", "Bearer r8_test"), http);
    }

    private static String prediction(String get, String stream) {
        return "{\"id\":\"p9\",\"status\":\"starting\",\"urls\":{\"get\":\"" + get + "\",\"stream\":\"" + stream
                + "\"}}";
    }

    @Test
    void aStreamOnReplicatesStreamHostGetsNoCredentials() {
        http.answer(201, prediction(GET_URL, STREAM_URL)).answer(200, "event: output\ndata: x\n\n");
        result(adapter.send(call(adapter, CHAT_STREAM)));
        UpstreamRequest stream = http.request(1);
        assertEquals(STREAM_URL, stream.url());
        assertNull(stream.headers().get("authorization"), "a capability URL: the key stays with the provider");
        assertEquals("text/event-stream", stream.headers().get("accept"));
    }

    @Test
    void aStreamOnAReplicateNetHostGetsNoCredentials() {
        String stream = "https://stream-b.svc.ric1.c.replicate.net/v1/streams/abc";
        http.answer(201, prediction(GET_URL, stream)).answer(200, "event: output\ndata: x\n\n");
        result(adapter.send(call(adapter, CHAT_STREAM)));
        assertEquals(stream, http.request(1).url());
        assertNull(http.request(1).headers().get("authorization"));
    }

    @Test
    void aStreamOnTheEndpointsOwnOriginKeepsTheCredentials() {
        http.answer(201, prediction(GET_URL, "https://API.replicate.com:443/v1/stream/p9"))
                .answer(200, "event: output\ndata: x\n\n");
        result(adapter.send(call(adapter, CHAT_STREAM)));
        assertEquals("Bearer r8_test", http.request(1).headers().get("authorization"));
    }

    @Test
    void aStreamUrlElsewhereIsNotFollowed() {
        for (String foreign : List.of("https://attacker.example/v1/stream/p9", "http://stream.replicate.com/v1/x",
                "https://stream.replicate.com:8443/v1/x", "https://replicate.net.attacker.example/x",
                "https://api.replicate.com.attacker.example/v1/stream/p9", "http://127.0.0.1:9/steal",
                "file:///etc/passwd")) {
            http.requests.clear();
            http.answer(201, prediction(GET_URL, foreign));
            GatewayError error = (GatewayError) failure(adapter.send(call(adapter, CHAT_STREAM)));
            assertEquals("upstream_foreign_url", error.code(), foreign);
            assertEquals(502, error.status());
            assertTrue(error.getMessage().contains("urls.stream"), error.getMessage());
            assertEquals(1, http.requests.size(), "nothing is sent to " + foreign);
        }
    }

    @Test
    void aPollUrlOffTheEndpointsOriginIsNotFollowed() {
        for (String foreign : List.of("https://stream.replicate.com/v1/predictions/p9",
                "http://api.replicate.com/v1/predictions/p9", "https://api.replicate.com:444/v1/predictions/p9",
                "https://evil.example/v1/predictions/p9")) {
            http.requests.clear();
            http.answer(201, prediction(foreign, STREAM_URL));
            GatewayError error = (GatewayError) failure(adapter.send(call(adapter, CHAT)));
            assertEquals("upstream_foreign_url", error.code(), foreign);
            assertTrue(error.getMessage().contains("urls.get"), error.getMessage());
            assertEquals(1, http.requests.size(), "nothing is sent to " + foreign);
        }
    }

    @Test
    void aPollUrlOnTheEndpointsOriginIsFollowed() {
        http.answer(201, prediction("https://api.replicate.com/v1/predictions/p9", STREAM_URL))
                .answer(200, "{\"id\":\"p9\",\"status\":\"succeeded\",\"output\":[\"Hi\"]}");
        result(adapter.send(call(adapter, CHAT)));
        assertEquals(GET_URL, http.request(1).url());
        assertEquals("Bearer r8_test", http.request(1).headers().get("authorization"));
    }

    @Test
    void withoutStreamHostsOnlyTheEndpointsOriginIsFollowed() {
        ReplicateAdapter strict = new ReplicateAdapter(ReplicateAdapter.MAX_WAIT_SECONDS, List.of("none"));
        http.answer(201, prediction(GET_URL, STREAM_URL));
        GatewayError error = (GatewayError) failure(strict.send(call(strict, CHAT_STREAM)));
        assertEquals("upstream_foreign_url", error.code());
        assertEquals(1, http.requests.size());
    }
}
