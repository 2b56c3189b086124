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
        // the time series and transitions are not served by today's services: those two panels say so
        assertTrue(page.selectFirst("#charts").parent().selectFirst(".banner.banner-billing").text()
                .contains("Billing"));
        assertTrue(page.selectFirst("#health-timeline").parent().selectFirst(".banner.banner-health").text()
                .contains("health monitor"));
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
        assertEquals(3, page.select(".banner.banner-billing").size());
        assertEquals(1, page.select(".banner.banner-health").size());
        assertEquals("–", page.selectFirst("#total-requests").text());
        assertNotNull(page.selectFirst("select#window"));
        assertNull(page.selectFirst("#error-message"));
    }
}
