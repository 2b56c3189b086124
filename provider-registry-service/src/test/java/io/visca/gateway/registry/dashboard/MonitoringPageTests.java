package io.visca.gateway.registry.dashboard;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.registry.TestApi;

/** The monitoring page: totals and spend from billing's summary, banners per panel when a service cannot be read. */
@QuarkusTest
class MonitoringPageTests {

    @FakeBackendsResource.Inject
    FakeBackends backends;

    @Test
    void showsTotalsSpendAndTheExportAndSaysWhichPanelsCannotBeRead() {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-mon");
        TestApi.create(TestApi.openAiProvider(name, "${X_KEY}"));
        backends.total(42, 2, "0.3150");
        backends.usage(name, 42, 2, "0.3150");
        backends.timeseries("{\"start\":\"2026-11-26T05:00:00Z\",\"requests\":42,\"errors\":2,\"error_rate\":0.0476,"
                + "\"latency_ms_p50\":120,\"latency_ms_p95\":480,\"ttft_ms_p50\":null,\"ttft_ms_p95\":null,"
                + "\"prompt_tokens\":4200,\"completion_tokens\":840,\"total_cost\":\"0.3150\"}");
        backends.transitions("{\"at\":\"2026-11-26T05:10:00Z\",\"provider\":\"" + name + "\",\"endpoint\":\"e1\","
                + "\"base_url\":\"http://127.0.0.1:1/v1\",\"from\":\"UP\",\"to\":\"DOWN\",\"reason\":\"refused\"}");
        Document page = browser.page("/monitoring?window=week&provider=" + name);
        assertEquals("week", page.selectFirst("select#window option[selected]").attr("value"));
        assertEquals("42", page.selectFirst("#total-requests").text());
        assertEquals("2", page.selectFirst("#total-errors").text());
        assertEquals("$0.3150", page.selectFirst("#total-cost").text());
        assertTrue(page.selectFirst("table#spend").text().contains(name));
        for (String chart : new String[] { "requests", "errors", "latency", "ttft", "tokens", "cost" }) {
            assertNotNull(page.selectFirst("#chart-" + chart), chart);
        }
        assertNotNull(page.selectFirst("#health-timeline"));
        // the charts draw billing's time series; the timeline lists the health monitor's transitions
        assertNull(page.selectFirst("#charts").parent().selectFirst(".banner.banner-billing"));
        String chart = page.selectFirst("#charts").attr("data-chart");
        assertTrue(chart.contains("\"requests\":[42.0]") && chart.contains("\"latency_ms_p95\":[480.0]"), chart);
        assertNull(page.selectFirst("#health-timeline").parent().selectFirst(".banner.banner-health"));
        var entry = page.selectFirst("#health-timeline li[data-provider=" + name + "]");
        assertTrue(entry.text().contains("UP") && entry.text().contains("DOWN") && entry.text().contains("refused"),
                entry.text());
        var summaries = backends.billingRequests().stream().filter(r -> r.path().equals("/api/usage/summary"))
                .toList();
        assertTrue(summaries.get(summaries.size() - 1).query().contains("provider=" + name));

        String href = page.selectFirst("a#export-csv").attr("href");
        Response csv = browser.get(href);
        assertEquals(200, csv.statusCode());
        assertEquals(FakeBackends.EXPORT_CSV, csv.asString());
        assertTrue(csv.header("Content-Disposition").contains("attachment"));
        admin().delete("/api/providers/" + name).then().statusCode(204);
    }

    @Test
    void rendersWithBannersWhenBillingAndTheHealthMonitorAreDown() {
        DashboardClient browser = DashboardClient.login();
        backends.billingDown(true);
        backends.healthDown(true);
        Document page;
        try {
            page = browser.page("/monitoring?window=hour");
            assertEquals(503, browser.get("/monitoring/export.csv?window=hour").statusCode());
        } finally {
            backends.billingDown(false);
            backends.healthDown(false);
        }
        // totals, charts, spend and (issue 15) actual vs configured cost: one banner per billing panel
        assertEquals(4, page.select(".banner.banner-billing").size());
        assertEquals(1, page.select(".banner.banner-health").size());
        assertEquals("–", page.selectFirst("#total-requests").text());
        assertNotNull(page.selectFirst("select#window"));
        assertNull(page.selectFirst("#error-message"));
    }
}
