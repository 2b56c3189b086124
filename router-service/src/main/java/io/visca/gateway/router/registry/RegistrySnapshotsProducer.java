package io.visca.gateway.router.registry;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import io.visca.gateway.router.config.RouterConfig;
import io.visca.gateway.snapshot.RegistryClient;
import io.visca.gateway.snapshot.RegistrySnapshots;
import io.visca.gateway.snapshot.SnapshotSecrets;

/**
 * The router's registry snapshots (gateway-snapshot-client), with its {@code router.registry.*} settings, each taken
 * into the {@link SnapshotHolder}. A provider whose secret does not open stays in the table with that problem, so its
 * calls fail with {@code provider_misconfigured} while every other provider is served.
 */
@Singleton
class RegistrySnapshotsProducer {

    @Produces
    @Singleton
    @Startup(Interceptor.Priority.PLATFORM_BEFORE) // a missing or malformed key stops the start first thing
    SnapshotSecrets secrets(RouterConfig config) {
        return new SnapshotSecrets(config.secrets(), "provider '%s' cannot be called: %s; its requests fail with "
                + "provider_misconfigured until the registry sends a secret this router can decrypt");
    }

    @Produces
    @Singleton
    RegistrySnapshots snapshots(@RestClient RegistryClient registry, SnapshotSecrets secrets, Vertx vertx,
            RouterConfig config, SnapshotHolder holder) {
        return new RegistrySnapshots(registry, secrets, vertx, config.registry().serviceToken(), config.registry(),
                holder);
    }
}
