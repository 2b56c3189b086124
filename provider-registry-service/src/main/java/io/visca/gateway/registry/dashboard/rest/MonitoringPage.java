package io.visca.gateway.registry.dashboard.rest;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.registry.config.RegistryConfig;
import io.visca.gateway.registry.dashboard.client.DashboardBackends;
import io.visca.gateway.registry.dashboard.client.MonitoringData;
import io.visca.gateway.registry.dashboard.client.Reconciliation;
import io.visca.gateway.registry.dashboard.session.Dashboard;
import io.visca.gateway.registry.dashboard.session.DashboardPages;
import io.visca.gateway.registry.provider.service.ProviderService;

/**
 * Monitoring over the last hour, day or week: charts from billing's time series, totals and spend by provider,
 * model and key from billing's summary, the CSV export (fetched by the registry, so the browser needs no billing
 * token), the health transitions of each endpoint from the health monitor, and actual vs configured cost from
 * billing's reconciliation ({@link Reconciliation}). A panel whose service cannot be
 * read shows a banner; the rest of the page renders.
 */
@Path("/monitoring")
@Dashboard
@Produces(MediaType.TEXT_HTML)
public class MonitoringPage {

    private final ProviderService providers;
    private final DashboardBackends backends;
    private final DashboardPages pages;
    private final Template page;
    private final BigDecimal tolerance;

    MonitoringPage(ProviderService providers, DashboardBackends backends, DashboardPages pages,
            @Location("dashboard/monitoring.html") Template page, RegistryConfig config) {
        this.tolerance = config.dashboard().reconciliationTolerance();
        this.providers = providers;
        this.backends = backends;
        this.pages = pages;
        this.page = page;
    }

    /** The chosen window: its length, the chart bucket and its bounds (charts, totals, spend and export alike). */
    @TemplateData
    public record Window(String name, Duration length, String bucket, Instant from, Instant to) {

        static Window of(String name, Instant now) {
            String chosen = name == null ? "day" : name;
            Duration length;
            String bucket;
            switch (chosen) {
                case "hour" -> {
                    length = Duration.ofHours(1);
                    bucket = "minute";
                }
                case "week" -> {
                    length = Duration.ofDays(7);
                    bucket = "hour";
                }
                default -> {
                    chosen = "day";
                    length = Duration.ofDays(1);
                    bucket = "hour";
                }
            }
            return new Window(chosen, length, bucket, now.minus(length), now);
        }
    }

    /** A row of the spend table. */
    @TemplateData
    public record Spend(String provider, String model, String apiKey, long requests, long errors, String cost) {
    }

    @GET
    public Uni<String> show(@RestQuery String window, @RestQuery String provider, @RestQuery String model,
            HttpServerRequest request) {
        Window w = Window.of(window, Instant.now());
        String p = blankToNull(provider);
        String m = blankToNull(model);
        Instant[] hours = Reconciliation.hours(w.from(), w.to());
        return providers.list().chain(all -> Uni.combine().all().unis(
                backends.timeseries(w.from(), w.to(), w.bucket(), p, m),
                backends.summary(null, w.from(), w.to(), p, m),
                backends.summary("provider,model,api_key", w.from(), w.to(), p, m),
                backends.transitions(p, w.from(), 200),
                backends.reconciliation(hours[0], hours[1], p, m)).asTuple().map(t -> {
                    TreeSet<String> models = new TreeSet<>();
                    all.forEach(config -> config.models().stream().map(ModelConfig::id).forEach(models::add));
                    JsonNode total = first(t.getItem2());
                    String csv = "/monitoring/export.csv?window=" + w.name()
                            + (p == null ? "" : "&provider=" + encode(p)) + (m == null ? "" : "&model=" + encode(m));
                    return pages.page(page
                            .data("window", w)
                            .data("provider", p == null ? "" : p)
                            .data("model", m == null ? "" : m)
                            .data("providers", all.stream().map(c -> c.name()).toList())
                            .data("models", List.copyOf(models))
                            .data("series", t.getItem1())
                            .data("chartJson", t.getItem1().available()
                                    ? MonitoringData.chartColumns(t.getItem1().body()).toString()
                                    : "{}")
                            .data("totals", t.getItem2())
                            .data("totalRequests", total == null ? "–" : total.path("requests").asText("0"))
                            .data("totalErrors", total == null ? "–" : total.path("errors").asText("0"))
                            .data("totalCost", total == null ? "–" : "$" + total.path("total_cost").asText("0"))
                            .data("spendRead", t.getItem3())
                            .data("spend", spend(t.getItem3()))
                            .data("transitionsRead", t.getItem4())
                            .data("transitions", t.getItem4().available()
                                    ? MonitoringData.transitions(t.getItem4().body())
                                    : List.of())
                            .data("csv", csv)
                            .data("reconciliationRead", t.getItem5())
                            .data("reconciliation", t.getItem5().available()
                                    ? Reconciliation.rows(t.getItem5().body(), tolerance)
                                    : List.of())
                            .data("reconciliationTotals", t.getItem5().available()
                                    ? Reconciliation.totals(t.getItem5().body(), tolerance)
                                    : null)
                            .data("reconciliationFrom", hours[0]).data("reconciliationTo", hours[1])
                            .data("tolerance", tolerance.movePointRight(2).stripTrailingZeros().toPlainString()),
                            "monitoring", request).render();
                }));
    }

    @GET
    @Path("/export.csv")
    @Produces("text/csv")
    public Uni<Response> export(@RestQuery String window, @RestQuery String provider, @RestQuery String model) {
        Window w = Window.of(window, Instant.now());
        return backends.export(w.from(), w.to(), blankToNull(provider), blankToNull(model))
                .map(csv -> Response.ok(csv, "text/csv; charset=UTF-8").header("Content-Disposition",
                        "attachment; filename=\"usage-" + w.name() + ".csv\"").build())
                .onFailure().recoverWithItem(e -> Response.status(503).type(MediaType.TEXT_PLAIN_TYPE)
                        .entity("billing is unavailable: the export could not be read").build());
    }

    private static List<Spend> spend(DashboardBackends.Read read) {
        List<Spend> rows = new ArrayList<>();
        if (!read.available()) {
            return rows;
        }
        for (JsonNode row : read.body().path("rows")) {
            rows.add(new Spend(text(row, "provider"), text(row, "model"), text(row, "api_key_id"),
                    row.path("requests").asLong(), row.path("errors").asLong(),
                    "$" + DashboardBackends.decimal(row.path("total_cost")).toPlainString()));
        }
        rows.sort((a, b) -> new BigDecimal(b.cost().substring(1)).compareTo(new BigDecimal(a.cost().substring(1))));
        return rows;
    }

    private static JsonNode first(DashboardBackends.Read read) {
        if (!read.available() || !read.body().path("rows").isArray() || read.body().path("rows").isEmpty()) {
            return read.available() ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    : null;
        }
        return read.body().path("rows").get(0);
    }

    private static String text(JsonNode row, String field) {
        return row.path(field).isNull() || row.path(field).isMissingNode() ? "—" : row.path(field).asText();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

}
