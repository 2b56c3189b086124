package io.visca.gateway.registry.provider.client;

import java.time.Instant;
import java.util.List;

import io.visca.gateway.registry.provider.advice.FieldWarning;

/**
 * The answer of "Test Connection": one result per endpoint, each called for real with the provider's auth.
 *
 * @param ok every endpoint answered and passed every check
 * @param warnings advice that does not fail the test: plain http to a host that is not loopback or private
 */
public record ConnectionTestReport(String provider, String type, boolean ok, Instant testedAt,
        List<EndpointTestResult> endpoints, List<FieldWarning> warnings) {
}
