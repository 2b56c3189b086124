package io.visca.gateway.health.rest;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.health.error.ApiException;
import io.visca.gateway.health.events.HealthChangedPublisher;
import io.visca.gateway.health.probe.EndpointState;
import io.visca.gateway.health.probe.ProbeScheduler;
import io.visca.gateway.health.probe.ProbeScheduler.EndpointHealth;
import io.visca.gateway.health.registry.SnapshotHolder;

/** The live health of every endpoint ({@code /api/health}), guarded by the service token. */
@Path("/api/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthStatusResource {

    private final ProbeScheduler scheduler;
    private final SnapshotHolder snapshot;
    private final HealthChangedPublisher publisher;

    HealthStatusResource(ProbeScheduler scheduler, SnapshotHolder snapshot, HealthChangedPublisher publisher) {
        this.scheduler = scheduler;
        this.snapshot = snapshot;
        this.publisher = publisher;
    }

    @GET
    public HealthOverview all() {
        List<EndpointHealth> endpoints = scheduler.endpoints();
        List<ProviderHealthView> providers = new ArrayList<>();
        for (ProviderConfig provider : scheduler.providers()) {
            providers.add(HealthMapper.toApiModel(provider, endpoints));
        }
        int up = 0;
        int down = 0;
        for (EndpointHealth endpoint : endpoints) {
            String status = endpoint.state().status();
            up += EndpointState.UP.equals(status) ? 1 : 0;
            down += EndpointState.DOWN.equals(status) ? 1 : 0;
        }
        return new HealthOverview(snapshot.revision(), up, down, endpoints.size() - up - down,
                publisher.unpublished(), providers);
    }

    @GET
    @Path("/{provider}")
    public ProviderHealthView provider(@PathParam("provider") String name) {
        for (ProviderConfig provider : scheduler.providers()) {
            if (provider.name().equals(name)) {
                return HealthMapper.toApiModel(provider, scheduler.endpoints());
            }
        }
        throw ApiException.notFound("provider_not_found", "no provider named '" + name + "' in the registry");
    }
}
