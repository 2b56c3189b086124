package io.visca.gateway.router.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;
import io.visca.gateway.outbound.OutboundPolicy;
import io.visca.gateway.outbound.OutboundRefusedException;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.adapter.openai.OpenAiCompatibleAdapter;
import io.visca.gateway.router.error.GatewayError;

/**
 * {@link UpstreamErrors}: what reaches a {@code /v1} client of an upstream's words is a short, clean excerpt marked
 * as the upstream's; a refusal of the outbound URL policy names the rule, not the address.
 */
class UpstreamErrorsTests {

    private final UpstreamCall call = AdapterCallKit.call(new OpenAiCompatibleAdapter(),
            Setup.of("https://api.example.com/v1", "gpt-x"), Operation.CHAT,
            "{\"model\":\"client-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            MultiMap.caseInsensitiveMultiMap(), null);

    private static void assertClean(String message) {
        assertTrue(message.length() < 400, "bounded: " + message.length() + " characters");
        assertFalse(message.chars().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT),
                "no control characters: " + message);
        assertFalse(message.contains("<"), "no markup: " + message);
    }

    @Test
    void aHugeUpstreamMessageIsAShortExcerptMarkedAsTheUpstreams() {
        String huge = "model not found: " + "y".repeat(1_000_000);
        GatewayError error = UpstreamErrors.fromStatus(call, 404, MultiMap.caseInsensitiveMultiMap(), huge, false);
        assertTrue(error.getMessage().contains(": upstream said \"model not found: yyy"), error.getMessage());
        assertTrue(error.getMessage().endsWith("…\""), error.getMessage());
        assertClean(error.getMessage());
    }

    @Test
    void markupAndControlCharactersAreRemoved() {
        String hostile = "<html><body><h1>Bad\r\nGateway</h1>\u001b[2J\u0000\u202eevil</body></html>";
        GatewayError failed = UpstreamErrors.failed(call, hostile, false);
        assertEquals("Provider 'test-openai-compatible' (endpoint ep-1) failed: upstream said \"Bad Gateway [2J evil\"",
                failed.getMessage());
        GatewayError rejected = UpstreamErrors.fromStatus(call, 400, MultiMap.caseInsensitiveMultiMap(), hostile,
                false);
        assertClean(rejected.getMessage());
        GatewayError prediction = UpstreamErrors.failed(call, "the prediction failed", hostile);
        assertTrue(prediction.getMessage().endsWith(": the prediction failed: upstream said \"Bad Gateway [2J evil\""),
                prediction.getMessage());
    }

    @Test
    void anUpstreamThatSaysNothingAddsNothing() {
        assertEquals("Provider 'test-openai-compatible' (endpoint ep-1) failed with HTTP 503",
                UpstreamErrors.fromStatus(call, 503, MultiMap.caseInsensitiveMultiMap(), " \n ", false).getMessage());
    }

    @Test
    void aRefusedAddressNamesTheRuleNotTheAddress() throws Exception {
        OutboundRefusedException refused = OutboundPolicy.defaults().judge("meta.example",
                InetAddress.getByName("169.254.169.254"));
        GatewayError error = UpstreamErrors.fromException(call, refused);
        assertEquals("endpoint_refused_by_policy", error.code());
        assertEquals(502, error.status());
        assertFalse(error.retryable(), "the same address is refused again");
        assertEquals("Provider 'test-openai-compatible' (endpoint ep-1) was not called: its address is a cloud metadata "
                + "address, refused by the outbound URL policy (GATEWAY_OUTBOUND_METADATA=deny)", error.getMessage());
    }
}
