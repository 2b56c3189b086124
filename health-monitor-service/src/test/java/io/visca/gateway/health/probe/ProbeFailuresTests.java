package io.visca.gateway.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import io.vertx.core.VertxException;
import io.visca.gateway.outbound.OutboundPolicy;

/** {@link ProbeFailures}: a refusal of the outbound URL policy names the rule; other details are short and clean. */
class ProbeFailuresTests {

    @Test
    void aRefusedAddressSaysNothingWasSentAndWhy() throws Exception {
        var refused = OutboundPolicy.defaults().judge("169.254.169.254", InetAddress.getByName("169.254.169.254"));
        assertEquals("GET /v1/models: not sent: 169.254.169.254 is a cloud metadata address: refused by the outbound "
                + "URL policy (GATEWAY_OUTBOUND_METADATA=deny)", ProbeFailures.reason(refused, "GET /v1/models"));
        assertEquals("GET /: not sent: " + refused.getMessage(),
                ProbeFailures.reason(new VertxException("wrapped", refused), "GET /"), "found among the causes");
    }

    @Test
    void anExceptionDetailIsOneShortCleanLine() {
        String hostile = "Connection refused: \u001b[31m" + "x".repeat(5_000) + "\u0000\u202e";
        String reason = ProbeFailures.reason(new ConnectException(hostile), "GET /health");
        assertTrue(reason.startsWith("GET /health: connection refused (Connection refused: [31mxxx"), reason);
        assertTrue(reason.length() < 260, "bounded: " + reason.length());
        assertFalse(reason.chars().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT),
                reason);
    }
}
