package io.visca.gateway.health.rest;

import java.util.List;

/**
 * The health of one provider's endpoints.
 *
 * @param probed whether its endpoints are probed; {@code note} says why not
 */
public record ProviderHealthView(String provider, String type, boolean enabled, boolean probed, String note,
        List<EndpointHealthView> endpoints) {
}
