package io.visca.gateway.registry.discovery.mapping;

import java.time.Instant;
import java.util.List;

/**
 * The model ids one endpoint listed at its last successful listing.
 *
 * @param id the endpoint's id
 * @param baseUrl the base URL that was asked: a listing counts only while the endpoint still has it
 */
public record EndpointListing(String id, String baseUrl, List<String> models, Instant listedAt) {

    public EndpointListing {
        models = models == null ? List.of() : List.copyOf(models);
    }
}
