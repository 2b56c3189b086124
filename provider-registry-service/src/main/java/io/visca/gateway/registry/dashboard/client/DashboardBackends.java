package io.visca.gateway.registry.dashboard.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.registry.config.RegistryConfig;

/**
 * What the dashboard reads from the other services, each call bounded by {@code registry.dashboard.backend-timeout}.
 * A service that cannot be reached (refused, timeout, error status) gives {@code available = false}, and the page
 * shows a banner in that panel; the reason is logged without any token.
 */
@ApplicationScoped
public class DashboardBackends {

    private static final Logger LOG = Logger.getLogger(DashboardBackends.class);

    private final HealthMonitorClient health;
    private final BillingClient billing;
    private final String serviceAuthorization;
    private final String adminAuthorization;
    private final Duration timeout;

    DashboardBackends(@RestClient HealthMonitorClient health, @RestClient BillingClient billing,
            RegistryConfig config) {
        this.health = health;
        this.billing = billing;
        this.serviceAuthorization = "Bearer " + config.serviceToken();
        this.adminAuthorization = "Bearer " + config.adminToken();
        this.timeout = config.dashboard().backendTimeout();
    }

    /** Endpoint health: {@code provider -> endpoint id -> UP|DOWN|UNKNOWN}. */
    public record Health(boolean available, Map<String, Map<String, String>> status) {

        public String of(String provider, String endpoint) {
            Map<String, String> endpoints = status.get(provider);
            String value = endpoints == null ? null : endpoints.get(endpoint);
            return value == null ? "UNKNOWN" : value;
        }
    }

    /** Usage of one provider over a window. */
    public record Usage(long requests, long errors, BigDecimal cost) {

        public static final Usage NONE = new Usage(0, 0, BigDecimal.ZERO);

        public String errorRate() {
            return requests == 0 ? "0%"
                    : BigDecimal.valueOf(errors * 100).divide(BigDecimal.valueOf(requests), 1,
                            java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "%";
        }

        public String costText() {
            return "$" + cost.stripTrailingZeros().toPlainString();
        }
    }

    /** Usage by provider over a window. */
    public record UsageByProvider(boolean available, Map<String, Usage> byProvider) {

        public Usage of(String provider) {
            return byProvider.getOrDefault(provider, Usage.NONE);
        }
    }

    public Uni<Health> health() {
        return health.health(serviceAuthorization).ifNoItem().after(timeout).fail()
                .map(DashboardBackends::parseHealth)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("health monitor unavailable for the dashboard: %s", describe(e));
                    return new Health(false, Map.of());
                });
    }

    /** Requests, errors and cost per provider over the last 24 hours. */
    public Uni<UsageByProvider> usageLast24h() {
        Instant to = Instant.now();
        Instant from = to.minus(Duration.ofHours(24));
        return billing.summary(adminAuthorization, "provider", from.toString(), to.toString(), null, null).ifNoItem()
                .after(timeout)
                .fail()
                .map(DashboardBackends::parseUsage)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("billing unavailable for the dashboard: %s", describe(e));
                    return new UsageByProvider(false, Map.of());
                });
    }

    /** A read of one panel: the body, or why it is missing. */
    public record Read(boolean available, JsonNode body, String problem) {
    }

    /** Billing's summary over {@code [from, to)} (bounds on the hour), grouped and filtered. */
    public Uni<Read> summary(String groupBy, Instant from, Instant to, String provider, String model) {
        return read("billing", billing.summary(adminAuthorization, groupBy, from.toString(), to.toString(),
                provider, model));
    }

    /** Billing's reconciliation of configured and reported cost over {@code [from, to)} (bounds on the hour). */
    public Uni<Read> reconciliation(Instant from, Instant to, String provider, String model) {
        return read("billing", billing.reconciliation(adminAuthorization, from.toString(), to.toString(), provider,
                model));
    }

    /** Billing's time series (built on branch dash-apis): requests, errors, latency, TTFT, tokens, cost per bucket. */
    public Uni<Read> timeseries(Instant from, Instant to, String bucket, String provider, String model) {
        return read("billing", billing.timeseries(adminAuthorization, from.toString(), to.toString(), bucket,
                provider, model));
    }

    /** The health monitor's transitions (built on branch dash-apis), newest first. */
    public Uni<Read> transitions(String provider, Instant since, int limit) {
        return read("health monitor", health.transitions(serviceAuthorization, provider, since.toString(), limit));
    }

    /**
     * Billing's budget alerts, newest first ({@link BudgetAlerts} reads them).
     *
     * @param scope {@code key:<id>} or {@code team:<name>}; null: every budget's
     * @param cursor the previous page's {@code next_cursor}; null: from the newest
     */
    public Uni<Read> budgetAlerts(String scope, int limit, String cursor) {
        return read("billing", billing.budgetAlerts(adminAuthorization, scope, limit, cursor));
    }

    /** Billing's CSV export of the records over {@code [from, to)}. */
    public Uni<String> export(Instant from, Instant to, String provider, String model) {
        return billing.export(adminAuthorization, from.toString(), to.toString(), provider, model).ifNoItem()
                .after(timeout.multipliedBy(15)).fail();
    }

    private Uni<Read> read(String service, Uni<JsonNode> call) {
        return call.ifNoItem().after(timeout).fail().map(body -> new Read(true, body, null))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("%s unavailable for the dashboard: %s", service, describe(e));
                    return new Read(false, null, describe(e));
                });
    }

    static Health parseHealth(JsonNode body) {
        Map<String, Map<String, String>> status = new LinkedHashMap<>();
        for (JsonNode provider : body.path("providers")) {
            Map<String, String> endpoints = new LinkedHashMap<>();
            for (JsonNode endpoint : provider.path("endpoints")) {
                endpoints.put(endpoint.path("endpoint").asText(), normalize(endpoint.path("status").asText()));
            }
            status.put(provider.path("provider").asText(), endpoints);
        }
        return new Health(true, status);
    }

    static UsageByProvider parseUsage(JsonNode body) {
        Map<String, Usage> usage = new LinkedHashMap<>();
        for (JsonNode row : body.path("rows")) {
            if (row.path("provider").isTextual()) {
                usage.put(row.path("provider").asText(), new Usage(row.path("requests").asLong(),
                        row.path("errors").asLong(), decimal(row.path("total_cost"))));
            }
        }
        return new UsageByProvider(true, usage);
    }

    public static BigDecimal decimal(JsonNode node) {
        try {
            return node.isMissingNode() || node.isNull() ? BigDecimal.ZERO : new BigDecimal(node.asText());
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO;
        }
    }

    private static String normalize(String status) {
        return "UP".equals(status) || "DOWN".equals(status) ? status : "UNKNOWN";
    }

    static String describe(Throwable e) {
        if (e instanceof jakarta.ws.rs.WebApplicationException web && web.getResponse() != null) {
            return "HTTP " + web.getResponse().getStatus();
        }
        return e.getClass().getSimpleName();
    }
}
