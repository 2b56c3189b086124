package io.visca.gateway.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.visca.gateway.router.testing.FailOpenOff;

/**
 * By default ({@code ROUTER_EXPOSE_UPSTREAM_DETAILS=true}) clients see the endpoint's id, by default the host and
 * port of its base URL, and errors quote the upstream's own message: the same situations as
 * {@link HiddenUpstreamDetailsTests}, for operators debugging their own deployment. Failing open is off, so that an
 * endpoint the health monitor reports DOWN is answered with the 503 that names it.
 */
@QuarkusTest
@TestProfile(FailOpenOff.class)
class UpstreamDetailsTests extends UpstreamDetailsScenarios {

    @Override
    String prefix() {
        return "exposed";
    }

    @Test
    void aServedRequestNamesTheEndpointById() {
        Response served = chat("served");
        assertEquals(200, served.statusCode(), served.asString());
        assertEquals(upstreamHostAndPort(), served.header("x-visca-endpoint"));
        assertEquals("eu-replica", chat("named").header("x-visca-endpoint"));
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 401, 500 })
    void anUpstreamErrorNamesTheEndpointAndQuotesTheUpstream(int status) {
        upstreamFails(status);
        String message = message(chat("served"));
        assertTrue(message.contains("Provider '" + provider("served") + "' (endpoint " + upstreamHostAndPort() + ")"),
                message);
        // the upstream's words, as the short sanitized excerpt every error quotes them in (issue 13, point 4)
        assertTrue(message.endsWith(": upstream said \"" + UPSTREAM_TEXT + "\""), message);
    }

    @Test
    void anEndpointTheHealthMonitorReportsDownIsNamedWithTheMonitorsReason() throws Exception {
        Response unavailable = endpointReportedDown();
        assertEquals(503, unavailable.statusCode(), unavailable.asString());
        String endpoint = "127.0.0.1:" + downUpstream.port();
        assertTrue(message(unavailable).contains(endpoint + ": DOWN by the health monitor (GET http://" + endpoint),
                message(unavailable));
    }
}
