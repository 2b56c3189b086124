package io.visca.gateway.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * With {@code ROUTER_EXPOSE_UPSTREAM_DETAILS=false} clients learn which provider served or failed them, never where
 * it runs: {@code x-visca-endpoint} is the id the operator gave the endpoint or its position ({@code #1}), and error
 * messages name no upstream host, port or URL and quote nothing the upstream said.
 */
@QuarkusTest
@TestProfile(HiddenUpstreamDetailsTests.Hidden.class)
class HiddenUpstreamDetailsTests extends UpstreamDetailsScenarios {

    public static class Hidden implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // failing open off: an endpoint the health monitor reports DOWN is answered with the 503 that names it
            return Map.of("ROUTER_EXPOSE_UPSTREAM_DETAILS", "false", "router.routing.fail-open", "false");
        }
    }

    @Override
    String prefix() {
        return "hidden";
    }

    @Test
    void aServedRequestNamesTheEndpointByPositionOrByTheIdItsOperatorGave() {
        Response served = chat("served");
        assertEquals(200, served.statusCode(), served.asString());
        assertEquals(provider("served"), served.header("x-visca-provider"));
        assertEquals("#1", served.header("x-visca-endpoint"));
        assertEquals("1", served.header("x-visca-attempts"));

        Response named = chat("named");
        assertEquals(200, named.statusCode(), named.asString());
        assertEquals("eu-replica", named.header("x-visca-endpoint"));
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 401, 500 })
    void anUpstreamErrorNamesTheProviderButNoHostPortOrUpstreamText(int status) {
        upstreamFails(status);
        Response failed = chat("served");
        String message = message(failed);
        assertTrue(message.contains("Provider '" + provider("served") + "' (endpoint #1)"), message);
        assertTrue(message.contains("HTTP " + status), message);
        assertNoUpstreamDetail(failed, Integer.toString(upstream.port()));
        assertEquals("#1", failed.header("x-visca-endpoint"));
    }

    @Test
    void aRefusedConnectionNamesNoPort() {
        Response failed = chat("gone");
        assertEquals(502, failed.statusCode());
        assertEquals("Provider '" + provider("gone") + "' (endpoint #1) is unreachable: connection refused",
                message(failed));
        assertNoUpstreamDetail(failed, Integer.toString(closedPort));
    }

    @Test
    void anEndpointTheHealthMonitorReportsDownIsNamedWithoutTheMonitorsReason() throws Exception {
        Response unavailable = endpointReportedDown();
        assertEquals(503, unavailable.statusCode(), unavailable.asString());
        String message = message(unavailable);
        assertTrue(message.contains("no healthy endpoint (#1: DOWN by the health monitor)"), message);
        assertNoUpstreamDetail(unavailable, Integer.toString(downUpstream.port()));
    }

    private static void assertNoUpstreamDetail(Response response, String port) {
        String body = response.asString();
        for (String internal : new String[] { "127.0.0.1", ":" + port, "http://", "gpu-7", "10.1.2.3",
                "out of memory", "connection refused (" }) {
            assertFalse(body.contains(internal), "'" + internal + "' in " + body);
        }
        response.headers().forEach(header -> assertFalse(header.getValue().contains("127.0.0.1"), header.toString()));
    }
}
