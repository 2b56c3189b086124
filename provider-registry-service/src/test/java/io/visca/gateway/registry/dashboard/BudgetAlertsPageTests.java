package io.visca.gateway.registry.dashboard;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.registry.TestApi;
import io.visca.gateway.registry.TinyHttpServer;

/**
 * Issue 17's spend alerts on the dashboard: the Budget alerts page lists billing's alerts ({@code GET
 * /api/budget-alerts}, served by {@link FakeBackends} in billing's shape) newest first, linked to the key's or team's
 * page, each key's and team's page shows its recent ones, user text stays text, and billing being down is said
 * plainly.
 */
@QuarkusTest
class BudgetAlertsPageTests {

    private static final String PERIOD = "2026-11-01T00:00:00Z";

    @FakeBackendsResource.Inject
    FakeBackends fake;

    @AfterEach
    void billingBack() {
        fake.billingDown(false);
    }

    @Test
    void listsAlertsNewestFirstWithTheirKeyOrTeamLinked() {
        String team = uniqueName("alert-team");
        admin().contentType("application/json").body(TestApi.json("{'name':'" + team + "','max_budget_usd':100}"))
                .post("/api/teams").then().statusCode(201);
        String name = uniqueName("alert-key");
        String id = key(name);
        String gone = key(uniqueName("alert-revoked"));
        admin().delete("/api/keys/" + gone).then().statusCode(204);

        fake.budgetAlert("key:" + id, 50, "25.03", "50.00", PERIOD, "2026-11-19T11:02:10.412Z").put("attempts", 4)
                .put("last_error", "HTTP 503");
        fake.budgetAlert("team:" + team, 100, "100.2", "100", PERIOD, "2026-11-20T08:00:00Z")
                .put("delivered_at", "2026-11-20T08:00:01Z").put("attempts", 1);
        fake.budgetAlert("key:" + gone, 80, "4.00", "5", "2026-11-26T00:00:00Z", "2026-11-26T03:00:00Z");
        fake.budgetAlert("key:" + id, 80, "40.12", "50.00", PERIOD, "2026-11-26T04:49:31.066Z")
                .put("delivered_at", "2026-11-26T04:49:33.210Z").put("attempts", 1);

        DashboardClient browser = DashboardClient.login();
        Document page = browser.page("/budget-alerts");
        assertEquals("page", page.selectFirst("a#nav-budget-alerts").attr("aria-current"));
        List<Element> rows = rows(page, List.of("key:" + id, "team:" + team, "key:" + gone));
        assertEquals(List.of("80", "80", "100", "50"), rows.stream().map(r -> r.attr("data-threshold")).toList(),
                "newest first, as billing lists them");

        Element newest = rows.get(0);
        Element link = newest.selectFirst(".alert-budget a.alert-link");
        assertEquals(name, link.text());
        assertEquals("/keys/" + id + "/edit", link.attr("href"));
        assertEquals("80 %", newest.selectFirst(".alert-threshold").text());
        assertEquals("2026-11-26T04:49:31.066Z", newest.selectFirst(".alert-when time").attr("datetime"));
        assertEquals(PERIOD, newest.selectFirst(".alert-period").text());
        assertEquals("$40.12 of $50.00", newest.selectFirst(".alert-spend").text());
        assertTrue(newest.selectFirst(".alert-webhook").text().startsWith("delivered"));

        Element revoked = rows.get(1);
        assertNull(revoked.selectFirst("a"), "a revoked key has no page to link to");
        assertEquals(gone, revoked.selectFirst(".alert-key-id").text());
        assertEquals("not posted", revoked.selectFirst(".alert-webhook").text());

        Element teamRow = rows.get(2);
        assertEquals("/teams/" + team + "/edit", teamRow.selectFirst("a.alert-link").attr("href"));
        assertEquals("Team " + team, teamRow.selectFirst(".alert-budget").text());
        assertEquals("$100.2 of $100", teamRow.selectFirst(".alert-spend").text());

        assertEquals("not delivered after 4 attempts: HTTP 503", rows.get(3).selectFirst(".alert-webhook").text());
        assertNull(page.selectFirst("#alerts-unavailable"));
    }

    @Test
    void keyAndTeamPagesShowTheirRecentAlertsAndLinkToAllOfThem() {
        String team = uniqueName("recent-team");
        admin().contentType("application/json").body(TestApi.json("{'name':'" + team + "'}")).post("/api/teams")
                .then().statusCode(201);
        String name = uniqueName("recent-key");
        String id = key(name);
        String other = key(uniqueName("other-key"));
        for (int i = 0; i < 7; i++) {
            fake.budgetAlert("key:" + id, 50, "1." + i, "2", "2026-11-0" + (i + 1) + "T00:00:00Z",
                    "2026-11-0" + (i + 1) + "T12:00:00Z");
        }
        fake.budgetAlert("key:" + other, 100, "9", "9", PERIOD, "2026-11-27T00:00:00Z");
        fake.budgetAlert("team:" + team, 80, "8", "10", PERIOD, "2026-11-27T01:00:00Z");

        DashboardClient browser = DashboardClient.login();
        Element section = browser.page("/keys/" + id + "/edit").selectFirst("section#key-alerts");
        Elements rows = section.select("tr[data-alert-id]");
        assertEquals(5, rows.size(), "the most recent five");
        assertEquals(List.of("key:" + id), rows.eachAttr("data-scope").stream().distinct().toList());
        assertEquals("$1.6 of $2", rows.get(0).selectFirst(".alert-spend").text(), "newest first");
        String all = section.selectFirst("a.all-alerts").attr("href");
        assertEquals("/budget-alerts?scope=key:" + id, URLDecoder.decode(all, StandardCharsets.UTF_8));
        TinyHttpServer.Received asked = lastAlertsRequest();
        String query = URLDecoder.decode(asked.query(), StandardCharsets.UTF_8);
        assertTrue(query.contains("scope=key:" + id) && query.contains("limit=5"), query);
        assertEquals("Bearer " + TestApi.ADMIN_TOKEN, asked.headers().get("authorization"));

        // RestAssured encodes the path itself
        Document filtered = browser.page(URLDecoder.decode(all, StandardCharsets.UTF_8));
        assertTrue(filtered.selectFirst("h1").text().contains("key " + name), filtered.selectFirst("h1").text());
        assertEquals(7, filtered.select("#budget-alerts tr[data-alert-id]").size());
        assertEquals(List.of("key:" + id), filtered.select("#budget-alerts tr[data-alert-id]").eachAttr("data-scope")
                .stream().distinct().toList(), "only this key's");

        Element teamSection = browser.page("/teams/" + team + "/edit").selectFirst("section#team-alerts");
        assertEquals(List.of("team:" + team), teamSection.select("tr[data-alert-id]").eachAttr("data-scope"));
        assertEquals("80 %", teamSection.selectFirst(".alert-threshold").text());

        String quiet = key(uniqueName("quiet-key"));
        assertNotNull(browser.page("/keys/" + quiet + "/edit").selectFirst("#key-alerts .no-alerts"));
    }

    @Test
    void pagesOlderAlertsAndIgnoresABadScopeOrCursor() {
        String id = key(uniqueName("paged-key"));
        for (int i = 0; i < 52; i++) {
            fake.budgetAlert("key:" + id, 50, Integer.toString(i), "100", PERIOD, "2026-11-26T00:00:00Z");
        }
        DashboardClient browser = DashboardClient.login();
        Document first = browser.page("/budget-alerts?scope=key:" + id);
        assertEquals(50, first.select("#budget-alerts tr[data-alert-id]").size());
        assertEquals("$51 of $100", first.selectFirst("#budget-alerts .alert-spend").text());
        String older = first.selectFirst("a#older-alerts").attr("href");
        Document second = browser.page(older);
        assertEquals(List.of("$1 of $100", "$0 of $100"),
                second.select("#budget-alerts .alert-spend").eachText());
        assertNull(second.selectFirst("a#older-alerts"));
        assertNotNull(second.selectFirst("a#newest-alerts"));

        Document bad = browser.page("/budget-alerts?scope=" + "%20&cursor=x%27%3B--");
        assertNull(bad.selectFirst("#alerts-unavailable"), "a bad filter is not sent to billing");
        String query = lastAlertsRequest().query();
        assertFalse(query.contains("scope") || query.contains("cursor"), query);
    }

    @Test
    void showsKeyNamesAndBillingsTextAsText() {
        String payload = "<script>alert('k')</script><img src=x onerror=alert(1)>";
        String id = key(payload);
        fake.budgetAlert("key:" + id, 100, "5", "5", PERIOD, "2026-11-28T00:00:00Z").put("last_error",
                "<b onclick=alert(2)>HTTP 500</b>").put("attempts", 1);
        fake.budgetAlert("team:<i>evil</i>", 50, "<u>1</u>", "2", "<s>now</s>", "2026-11-28T00:00:01Z");

        DashboardClient browser = DashboardClient.login();
        Response response = browser.get("/budget-alerts");
        assertEquals(200, response.statusCode());
        Document page = org.jsoup.Jsoup.parse(response.asString());
        Element key = page.selectFirst("#budget-alerts tr[data-scope='key:" + id + "']");
        assertEquals(payload, key.selectFirst("a.alert-link").text(), "the name shown as typed");
        assertTrue(key.selectFirst(".alert-webhook").text().endsWith("<b onclick=alert(2)>HTTP 500</b>"));
        Element team = page.selectFirst("#budget-alerts tr[data-scope='team:<i>evil</i>']");
        assertEquals("Team <i>evil</i> (deleted)", team.selectFirst(".alert-budget").text());
        assertEquals("$<u>1</u> of $2", team.selectFirst(".alert-spend").text());
        assertEquals("<s>now</s>", team.selectFirst(".alert-period").text());
        assertTrue(page.select("main script, main img, main b, main i, main u, main s").isEmpty(),
                "no markup of theirs in the page");
        assertTrue(response.asString().contains("&lt;script&gt;"));

        Document edit = browser.page("/keys/" + id + "/edit");
        assertTrue(edit.select("main script, main img, main b").isEmpty());
        assertEquals("<b onclick=alert(2)>HTTP 500</b>",
                edit.selectFirst("#key-alerts .alert-webhook").text().replaceAll(".*: ", ""));
    }

    @Test
    void saysPlainlyWhenBillingCannotBeRead() {
        String team = uniqueName("down-team");
        admin().contentType("application/json").body(TestApi.json("{'name':'" + team + "'}")).post("/api/teams")
                .then().statusCode(201);
        String id = key(uniqueName("down-key"));
        fake.budgetAlert("key:" + id, 50, "1", "2", PERIOD, "2026-11-26T00:00:00Z");
        fake.billingDown(true);

        DashboardClient browser = DashboardClient.login();
        Document page = browser.page("/budget-alerts");
        assertEquals("Billing is unavailable: the budget alerts cannot be shown.",
                page.selectFirst("#alerts-unavailable").text());
        assertNull(page.selectFirst("#budget-alerts"));
        Document keyPage = browser.page("/keys/" + id + "/edit");
        assertNotNull(keyPage.selectFirst("#key-alerts .banner-billing"));
        assertNotNull(keyPage.selectFirst("form#key-form"), "the rest of the page renders");
        assertNotNull(browser.page("/teams/" + team + "/edit").selectFirst("#team-alerts .banner-billing"));
        assertFalse(browser.get("/budget-alerts").asString().contains("Exception"));
    }

    private static String key(String name) {
        return admin().contentType("application/json")
                .body("{\"name\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(name) + "}")
                .post("/api/keys").then().statusCode(201).extract().path("id");
    }

    /** The rows of these scopes, in the page's order. */
    private static List<Element> rows(Document page, List<String> scopes) {
        return page.select("#budget-alerts tr[data-alert-id]").stream()
                .filter(r -> scopes.contains(r.attr("data-scope"))).toList();
    }

    private TinyHttpServer.Received lastAlertsRequest() {
        return fake.billingRequests().stream().filter(r -> r.path().equals("/api/budget-alerts"))
                .reduce((a, b) -> b).orElseThrow();
    }
}
