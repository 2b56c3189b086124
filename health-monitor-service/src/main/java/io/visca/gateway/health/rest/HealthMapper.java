package io.visca.gateway.health.rest;

import java.util.ArrayList;
import java.util.List;

import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.health.probe.EndpointState;
import io.visca.gateway.health.probe.ProbeScheduler.EndpointHealth;
import io.visca.gateway.health.probe.ProbeTarget;

/** Builds the status API's views from the providers and the probed endpoints' state. */
final class HealthMapper {

    private HealthMapper() {
    }

    static ProviderHealthView toApiModel(ProviderConfig provider, List<EndpointHealth> all) {
        List<EndpointHealthView> endpoints = new ArrayList<>();
        for (EndpointHealth health : all) {
            if (health.target().provider().equals(provider.name())) {
                endpoints.add(toApiModel(health));
            }
        }
        String note = null;
        if (!provider.enabled()) {
            note = "the provider is disabled: not probed";
        } else if (provider.healthCheck() == null || !provider.healthCheck().enabled()) {
            note = "health_check.enabled is false: not probed";
        } else if (provider.endpoints().isEmpty()) {
            note = "the provider has no endpoints";
        }
        return new ProviderHealthView(provider.name(), provider.type(), provider.enabled(), note == null, note,
                endpoints);
    }

    static EndpointHealthView toApiModel(EndpointHealth health) {
        ProbeTarget t = health.target();
        EndpointState.Snapshot s = health.state();
        return new EndpointHealthView(t.provider(), t.endpoint(), t.baseUrl(), t.describe(), t.healthyWhen(),
                t.intervalSeconds(), t.timeoutSeconds(), t.failureThreshold(), t.successThreshold(), s.status(),
                s.lastCheckedAt(), s.latencyMs(), s.lastHttpStatus(), s.consecutiveFailures(),
                s.consecutiveSuccesses(), s.lastReason(), s.transitions(), health.probedHere());
    }
}
