package io.visca.gateway.router.adapter.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.visca.gateway.fakes.FakeEchoServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.providers.KnownProviderTypes;
import io.visca.gateway.providers.example.EchoType;
import io.visca.gateway.router.adapter.AdapterCallKit;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.adapter.Adapters;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.ProviderAdapter;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.openai.OpenAiCompatibleAdapter;
import io.visca.gateway.router.upstream.UpstreamClient;

/**
 * A provider type added the way {@code docs/architecture.md} says (its descriptor in a package of
 * {@code gateway-providers}, here the test-jar's {@code example-echo}; its adapter in a package of the router, here
 * {@link EchoAdapter}; its fake) is picked up by the router without touching anything else: the running router's
 * adapters hold it, and a call through them reaches the type's fake in its own wire format. A known type without an
 * adapter stops the router at start, naming it. The registry's and the health monitor's {@code AddedProviderTypeTests}
 * show the same type picked up by Test Connection and by the probes.
 */
@QuarkusTest
class AddedProviderTypeTests {

    private static FakeEchoServer echo;

    @Inject
    Adapters adapters;

    @Inject
    UpstreamClient http;

    @Inject
    Vertx vertx;

    @BeforeAll
    static void fake() {
        echo = FakeEchoServer.start();
    }

    @AfterAll
    static void stop() {
        echo.close();
    }

    @Test
    void theRunningRoutersAdaptersHoldTheAddedType() {
        assertTrue(KnownProviderTypes.names().contains(EchoType.NAME), KnownProviderTypes.names().toString());
        assertInstanceOf(EchoAdapter.class, adapters.forType(EchoType.NAME));
    }

    @Test
    void aCallThroughItsAdapterSpeaksTheTypesWireFormat() throws Exception {
        ProviderAdapter adapter = adapters.forType(EchoType.NAME);
        UpstreamCall call = AdapterCallKit.call(adapter, Setup.of(echo.baseUrl(), "echo-1"), Operation.CHAT,
                "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hello, type\"}]}",
                MultiMap.caseInsensitiveMultiMap(), http);
        CompletableFuture<Buffer> answer = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> adapter.send(call)
                .compose(response -> response.readBody().map(body -> adapter.response(call, body)))
                .onComplete(done -> {
                    if (done.succeeded()) {
                        answer.complete(done.result());
                    } else {
                        answer.completeExceptionally(done.cause());
                    }
                }));
        JsonNode completion = Json.read(answer.get(10, TimeUnit.SECONDS));

        assertEquals("chat.completion", completion.path("object").asText());
        assertEquals("hello, type", completion.at("/choices/0/message/content").asText());
        List<RecordedRequest> sent = echo.requests();
        assertEquals(1, sent.size());
        assertEquals("POST /echo/say", sent.get(0).method() + " " + sent.get(0).path());
        assertEquals("1", sent.get(0).header("x-echo-version"));
        assertEquals("echo-1", Json.read(sent.get(0).body()).path("voice").asText());
    }

    @Test
    void aKnownTypeWithoutAnAdapterStopsTheRouterNamingIt() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Adapters.ofEveryType(new OpenAiCompatibleAdapter()));
        assertTrue(refused.getMessage().contains("provider types without a router adapter: [anthropic, ollama, tgi, "
                + "replicate, custom, " + EchoType.NAME + "]"), refused.getMessage());
    }

    @Test
    void anAdapterOfATypeNoOneKnowsStopsTheRouterNamingIt() {
        ProviderAdapter stray = new EchoAdapter() {
            @Override
            public String type() {
                return "not-a-type";
            }
        };
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Adapters.ofEveryType(stray));
        assertTrue(refused.getMessage().contains("router adapters of types gateway-providers does not know: "
                + "[not-a-type]"), refused.getMessage());
    }
}
