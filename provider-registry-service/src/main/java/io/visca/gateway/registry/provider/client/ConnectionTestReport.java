package io.visca.gateway.registry.provider.client;

import java.time.Instant;
import java.util.List;

/**
 * The answer of "Test Connection": one result per endpoint, each called for real with the provider's auth.
 *
 * @param ok every endpoint answered and passed every check
 */
public record ConnectionTestReport(String provider, String type, boolean ok, Instant testedAt,
        List<EndpointTestResult> endpoints) {
}
