package io.visca.gateway.router.proxy;

import jakarta.inject.Singleton;

import io.vertx.core.Vertx;
import io.visca.gateway.router.auth.UpstreamCredentials;
import io.visca.gateway.router.config.RouterConfig;
import io.visca.gateway.router.quota.ProviderRates;
import io.visca.gateway.router.quota.Quotas;
import io.visca.gateway.router.registry.SnapshotHolder;
import io.visca.gateway.router.routing.RoutingPlanner;
import io.visca.gateway.router.upstream.UpstreamClient;
import io.visca.gateway.router.usage.UsageRecorder;

/** What each {@link ProxyExchange} uses, gathered once. */
@Singleton
public class ProxyServices {

    private final SnapshotHolder snapshots;
    private final UpstreamClient http;
    private final UpstreamCredentials credentials;
    private final UsageRecorder usage;
    private final RouterConfig config;
    private final Vertx vertx;
    private final RoutingPlanner planner;
    private final Quotas quotas;
    private final ProviderRates providerRates;

    public ProxyServices(SnapshotHolder snapshots, UpstreamClient http, UpstreamCredentials credentials,
            UsageRecorder usage, RouterConfig config, Vertx vertx, RoutingPlanner planner, Quotas quotas,
            ProviderRates providerRates) {
        this.planner = planner;
        this.quotas = quotas;
        this.providerRates = providerRates;
        this.snapshots = snapshots;
        this.http = http;
        this.credentials = credentials;
        this.usage = usage;
        this.config = config;
        this.vertx = vertx;
    }

    SnapshotHolder snapshots() {
        return snapshots;
    }

    UpstreamClient http() {
        return http;
    }

    UpstreamCredentials credentials() {
        return credentials;
    }

    UsageRecorder usage() {
        return usage;
    }

    RouterConfig config() {
        return config;
    }

    RoutingPlanner planner() {
        return planner;
    }

    Quotas quotas() {
        return quotas;
    }

    ProviderRates providerRates() {
        return providerRates;
    }

    Vertx vertx() {
        return vertx;
    }
}
