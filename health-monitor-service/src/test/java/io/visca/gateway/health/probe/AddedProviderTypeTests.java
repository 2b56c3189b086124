package io.visca.gateway.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.HealthCheckConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.fakes.FakeEchoServer;
import io.visca.gateway.fakes.RecordedRequest;

/**
 * A provider type added by a package of its own ({@code example-echo}, registered by {@code gateway-providers}'
 * test-jar) is probed as that package says, with nothing in the monitor naming it; a type no package registers is not
 * probed with another type's check, and says why.
 */
@QuarkusTest
class AddedProviderTypeTests {

    private static FakeEchoServer echo;

    @Inject
    Prober prober;

    @BeforeAll
    static void upstream() {
        echo = FakeEchoServer.start();
    }

    @AfterAll
    static void cleanUp() {
        echo.close();
    }

    private static ProbeTarget target(String type, String baseUrl) {
        ProviderConfig provider = new ProviderConfig("hm-added", type, true, List.of(), AuthConfig.none(), List.of(),
                HealthCheckConfig.defaults(), null, null, null, null, null);
        return ProbeTarget.of(provider, new EndpointConfig("echo-1", baseUrl, 1));
    }

    @Test
    void anAddedTypesEndpointIsProbedAtTheTypesDefaultPathWithItsHeaders() throws Exception {
        ProbeTarget target = target("example-echo", echo.baseUrl());
        assertEquals(echo.baseUrl() + "/status", target.url());
        assertNull(prober.notProbed(target));

        ProbeResult result = prober.probe(target).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertTrue(result.healthy(), result.reason());
        assertEquals("GET /echo/status answered HTTP 200", result.reason());
        RecordedRequest probed = echo.requests().get(echo.requests().size() - 1);
        assertEquals("/echo/status", probed.path());
        assertEquals("1", probed.header("x-echo-version"), "the type's fixed header");
    }

    @Test
    void anUnknownTypeIsNotProbedAndItsReasonNamesTheKnownTypes() {
        echo.clearRequests();
        ProbeTarget target = target("gpt", echo.baseUrl());

        String reason = prober.notProbed(target);

        assertTrue(reason.startsWith("unknown type 'gpt'; known types: openai-compatible, anthropic, ollama, tgi, "
                + "replicate, custom, example-echo"), reason);
        assertTrue(reason.endsWith(": not probed"), reason);
        assertTrue(echo.requests().isEmpty(), "nothing sent");
    }
}
