package io.visca.gateway.billing.quota.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The quota store's meters (Prometheus names at {@code /q/metrics}): {@code billing_quota_grants_total} and
 * {@code billing_quota_refusals_total} (tag {@code kind}: budget, requests, tokens), {@code
 * billing_quota_expired_leases_total}, {@code billing_quota_reclaimed_leases_total},
 * {@code billing_quota_unavailable_total}. The ledger counts leases it cannot settle
 * ({@code billing_settlement_unknown_leases_total}).
 */
@Startup
@ApplicationScoped
public class QuotaMetrics {

    private final MeterRegistry registry;
    private final Counter expired;
    private final Counter reclaimed;
    private final Counter unavailable;

    QuotaMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String kind : new String[] { "budget", "requests", "tokens" }) {
            grants(kind);
            refusals(kind);
        }
        expired = Counter.builder("billing.quota.expired.leases")
                .description("leases a router named in held or releases that the store had reclaimed or did not know")
                .register(registry);
        reclaimed = Counter.builder("billing.quota.reclaimed.leases")
                .description("open budget leases reclaimed after their expiry and grace").register(registry);
        unavailable = Counter.builder("billing.quota.unavailable")
                .description("exchanges answered 503 because the database failed").register(registry);
    }

    private Counter grants(String kind) {
        return Counter.builder("billing.quota.grants").tag("kind", kind)
                .description("asks granted something (at least their need)").register(registry);
    }

    private Counter refusals(String kind) {
        return Counter.builder("billing.quota.refusals").tag("kind", kind)
                .description("asks granted nothing because not even their need fitted").register(registry);
    }

    void granted(String kind) {
        grants(kind).increment();
    }

    void refused(String kind) {
        refusals(kind).increment();
    }

    void expired(int count) {
        expired.increment(count);
    }

    public void reclaimed(long count) {
        reclaimed.increment(count);
    }

    void unavailable() {
        unavailable.increment();
    }
}
