package io.visca.gateway.health.registry;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.health.probe.ProbeScheduler;
import io.visca.gateway.snapshot.RegistryClient;
import io.visca.gateway.snapshot.RegistrySnapshots;
import io.visca.gateway.snapshot.SnapshotSecrets;

/**
 * The monitor's registry snapshots (gateway-snapshot-client), with its {@code health.*} settings: each snapshot is
 * handed to the {@link ProbeScheduler}, so probing follows the registry and goes on from the last snapshot while the
 * registry or Kafka is down. A provider whose secret does not open is still probed, and each probe fails with that
 * problem as its reason, sending nothing.
 */
@Singleton
class RegistrySnapshotsProducer {

    @Produces
    @Singleton
    @Startup(Interceptor.Priority.PLATFORM_BEFORE) // a missing or malformed key stops the start first thing
    SnapshotSecrets secrets(HealthConfig config) {
        return new SnapshotSecrets(config.secrets(), "provider '%s' cannot be probed: %s; its probes fail until the "
                + "registry sends a secret this monitor can decrypt");
    }

    @Produces
    @Singleton
    RegistrySnapshots snapshots(@RestClient RegistryClient registry, SnapshotSecrets secrets, Vertx vertx,
            HealthConfig config, ProbeScheduler scheduler) {
        return new RegistrySnapshots(registry, secrets, vertx, config.serviceToken(), config.registry(),
                (snapshot, problems) -> scheduler.apply(snapshot.providers(), problems));
    }
}
