package io.visca.gateway.registry.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.registry.TinyHttpServer;

/**
 * "Monitor actual costs vs. configured costs": the monitoring page shows billing's reconciliation per provider and
 * model, highlights a difference beyond the tolerance (5% by default) and shows what billing flags as unpriced.
 */
@QuarkusTest
class ReconciliationPanelTests {

    @FakeBackendsResource.Inject
    FakeBackends backends;

    @AfterEach
    void reset() {
        backends.billingDown(false);
        backends.reconciliation("{\"currency\":\"USD\",\"rows\":[],\"totals\":null}");
    }

    @Test
    void showsEachProviderAndModelWithTheDifferenceHighlighted() {
        backends.reconciliation("""
                {"from":"2026-11-01T00:00:00Z","to":"2026-12-01T00:00:00Z","currency":"USD","rows":[
                 {"provider":"anthropic","model":"claude-sonnet","requests":9,"requests_with_reported_cost":6,
                  "requests_without_reported_cost":3,"requests_without_configured_cost":0,"configured_cost":"0.111066",
                  "reported_cost":"0.0800","configured_cost_where_reported":"0.0600","difference":"0.0200"},
                 {"provider":"together","model":"llama-3-70b","requests":20,"requests_with_reported_cost":20,
                  "requests_without_reported_cost":0,"requests_without_configured_cost":0,"configured_cost":"0.1000",
                  "reported_cost":"0.1020","configured_cost_where_reported":"0.1000","difference":"0.0020"},
                 {"provider":"replicate","model":"llama-3-8b","requests":4,"requests_with_reported_cost":4,
                  "requests_without_reported_cost":0,"requests_without_configured_cost":0,"configured_cost":"0.0400",
                  "reported_cost":"0.0300","configured_cost_where_reported":"0.0400","difference":"-0.0100"},
                 {"provider":"my-vllm","model":"discovered-7b","requests":11,"requests_with_reported_cost":0,
                  "requests_without_reported_cost":11,"requests_without_configured_cost":11,"configured_cost":"0.00",
                  "reported_cost":"0.00","configured_cost_where_reported":"0.00","difference":"0.00",
                  "unpriced_requests":11,"unpriced_tokens":5300}],
                 "totals":{"provider":null,"model":null,"requests":44,"requests_with_reported_cost":30,
                  "requests_without_reported_cost":14,"requests_without_configured_cost":11,"configured_cost":"0.251066",
                  "reported_cost":"0.2120","configured_cost_where_reported":"0.2000","difference":"0.0120",
                  "unpriced_requests":11}}""");
        Document page = DashboardClient.login().page("/monitoring?window=day");

        Element anthropic = row(page, "anthropic", "claude-sonnet");
        assertEquals("over", anthropic.attr("data-level"), "+33% is beyond the tolerance");
        assertTrue(anthropic.hasClass("recon-over"));
        assertEquals("$0.0800", anthropic.selectFirst(".reported-cost").text());
        assertEquals("$0.0600", anthropic.selectFirst(".configured-where-reported").text());
        assertEquals("$0.111066", anthropic.selectFirst(".configured-cost").text());
        assertEquals("0.0200 (+33.3%)", anthropic.selectFirst(".difference").text());

        assertEquals("match", row(page, "together", "llama-3-70b").attr("data-level"), "+2% is within 5%");
        assertEquals("under", row(page, "replicate", "llama-3-8b").attr("data-level"));
        assertTrue(row(page, "replicate", "llama-3-8b").selectFirst(".difference").text().contains("-25.0%"));

        Element unpriced = row(page, "my-vllm", "discovered-7b");
        assertEquals("unreported", unpriced.attr("data-level"));
        String flag = unpriced.selectFirst(".unpriced").text();
        assertTrue(flag.contains("11 without price") && flag.contains("requests: 11") && flag.contains("tokens: 5300"),
                flag);

        Element totals = page.selectFirst("#reconciliation-totals");
        assertNotNull(totals);
        assertEquals("over", totals.attr("data-level"), "0.012 of 0.2 is +6%, beyond 5%: " + totals.text());
        List<String> order = page.select("#reconciliation tbody tr").eachAttr("data-provider");
        assertEquals("anthropic", order.get(0), "the largest difference first");
    }

    @Test
    void asksBillingForWholeHoursOfTheWindowAndTheFilters() {
        DashboardClient.login().page("/monitoring?window=hour&provider=together");
        TinyHttpServer.Received asked = backends.billingRequests().stream()
                .filter(r -> r.path().equals("/api/usage/reconciliation")).reduce((a, b) -> b).orElseThrow();
        String query = java.net.URLDecoder.decode(asked.query(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(query.contains("provider=together"), query);
        String from = query.replaceAll(".*from=([^&]+).*", "$1");
        String to = query.replaceAll(".*to=([^&]+).*", "$1");
        assertTrue(from.endsWith(":00:00Z") && to.endsWith(":00:00Z"), query);
        assertTrue(Instant.parse(to).isAfter(Instant.now().minusSeconds(1)), "the current hour is included: " + to);
    }

    @Test
    void saysWhenBillingCannotBeRead() {
        backends.billingDown(true);
        Document page = DashboardClient.login().page("/monitoring");
        assertNotNull(page.selectFirst("#reconciliation").parents().select("section").first()
                .selectFirst(".banner.banner-billing"));
        assertNull(page.selectFirst("#reconciliation-totals"));
    }

    private static Element row(Document page, String provider, String model) {
        Element row = page.selectFirst("#reconciliation tr[data-provider='" + provider + "'][data-model='" + model
                + "']");
        assertNotNull(row, provider + "/" + model + " in " + page.select("#reconciliation"));
        return row;
    }
}
