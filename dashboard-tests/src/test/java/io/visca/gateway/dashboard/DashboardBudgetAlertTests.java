package io.visca.gateway.dashboard;

import static io.visca.gateway.dashboard.DashboardStack.UPSTREAM_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Issue 17's spend alerts on the dashboard, end to end: a chat through the real router spends 83 % of a key's budget,
 * billing settles it from {@code usage-recorded} and records the 50 and 80 % alerts, and the Budget alerts page shows
 * them (newest first, the spend billing recorded) with the key's name, written as markup, shown as text and linked
 * to the key's page, which lists them too.
 */
class DashboardBudgetAlertTests extends DashboardTestBase {

    /** A key name that would be markup (and a script) if the page did not escape it. */
    private static final String NAME = "<b class=\"injected\">alert-key</b><script>window.injected=1</script>";

    @Test
    void chatCrossingABudgetShowsItsAlertsLinkedToTheKey() {
        // five completion tokens at $0.10 each: $0.50 of a $0.60 budget, and the reservation ($0.50 + the body's
        // bytes at $0.000001) fits it
        stack.admin.putProvider("""
                {"name": "alert-llm", "type": "openai-compatible", "enabled": true, "base_url": "%s",
                 "auth": {"auth_type": "bearer", "api_key": "%s"},
                 "models": [{"id": "alert-chat", "name": "alert-chat", "upstream_model": "dash-gpt",
                             "context_window": 8192, "cost_per_1k_input": 0.001, "cost_per_1k_output": 100}],
                 "health_check": {"enabled": true, "endpoint": "/health", "interval_seconds": 1,
                                  "timeout_seconds": 1, "failure_threshold": 1},
                 "retry": {"max_retries": 0}}"""
                .formatted(stack.upstream.baseUrl(), UPSTREAM_KEY));
        String[] key = stack.admin.createKeyWith("{\"name\":" + JsonNodeFactory.instance.textNode(NAME)
                + ",\"max_budget_usd\":0.6,\"budget_period\":\"day\"}");
        eventually("the router serves alert-chat to the key", () -> routerStatus("/v1/models/alert-chat", key[1]) == 200);
        HttpResponse<String> chat = Http.post(stack.router.url() + "/v1/chat/completions", "application/json",
                "{\"model\":\"alert-chat\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Authorization", "Bearer " + key[1]);
        assertEquals(200, chat.statusCode(), chat.body());

        logIn();
        find("a#nav-budget-alerts").click();
        wait.until(d -> "/budget-alerts".equals(currentPath()));
        String rows = "#budget-alerts tr[data-scope='key:" + key[0] + "']";
        refreshUntil(USAGE_WAIT, "billing's alerts of the key on the page",
                () -> driver.findElements(By.cssSelector(rows)).size() == 2);
        List<WebElement> alerts = driver.findElements(By.cssSelector(rows));
        screenshotAt(alerts.get(0), "budget-alerts");
        assertEquals(List.of("80 %", "50 %"), alerts.stream().map(r -> text(r, ".alert-threshold")).toList(),
                "newest first: both crossed by one request, 80 % recorded after 50 %");
        JsonNode recorded = Http.json(Http.get(stack.billing.url() + "/api/budget-alerts?scope=key:" + key[0],
                auth()).body()).path("data").get(0);
        assertEquals("$" + recorded.path("spent_usd").asText() + " of $" + recorded.path("max_budget_usd").asText(),
                text(alerts.get(0), ".alert-spend"), "the spend and budget billing recorded");
        assertTrue(text(alerts.get(0), ".alert-spend").startsWith("$0.5"), text(alerts.get(0), ".alert-spend"));
        assertEquals(recorded.path("period_start").asText(), text(alerts.get(0), ".alert-period"));

        WebElement link = alerts.get(0).findElement(By.cssSelector("a.alert-link"));
        assertEquals(NAME, link.getText(), "the key's name as text");
        assertTrue(driver.findElements(By.cssSelector("main b.injected, main script")).isEmpty(), "no markup of its");
        link.click();
        wait.until(d -> ("/keys/" + key[0] + "/edit").equals(currentPath()));
        assertEquals(2, driver.findElements(By.cssSelector("#key-alerts tr[data-alert-id]")).size());
        assertEquals("80 %", text(find("#key-alerts"), ".alert-threshold"));
        screenshotAt(find("#key-alerts"), "key-budget-alerts");
    }
}
