package io.visca.gateway.health.rest;

import java.util.List;

/**
 * Every provider the registry has, and the health of every probed endpoint.
 *
 * @param registryRevision the registry snapshot the monitor follows
 * @param up endpoints UP, likewise {@code down} and {@code unknown}
 * @param unpublishedEvents health events not yet acknowledged by Kafka (above 0 while it is unreachable)
 */
public record HealthOverview(long registryRevision, int up, int down, int unknown, int unpublishedEvents,
        List<ProviderHealthView> providers) {
}
