package io.visca.gateway.dashboard;

import static io.visca.gateway.dashboard.DashboardStack.UPSTREAM_KEY;
import static io.visca.gateway.dashboard.DashboardStack.UPSTREAM_REPLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 7's "Must show" in a real browser: client keys created and revoked, and a playground chat that then shows
 * in the monitoring numbers and cost. Every check of an effect goes past the page: to the registry's API, the router's /v1 or
 * billing's numbers. Each
 * test logs in itself and creates the providers it needs, under names of its own.
 */
class DashboardUsageTests extends DashboardTestBase {

    // ---- keys -----------------------------------------------------------------------------------------------------

    @Test
    void createsAndRevokesAKey() {
        logIn();
        visit("/keys", "keys");
        find("form#key-form input[name='name']").sendKeys("browser-made-key");
        find("button#create-key").click();
        Matcher shown = Pattern.compile("vsk_[A-Za-z0-9_-]+").matcher(find("#new-key").getText());
        assertTrue(shown.find(), "the new key is shown: " + find("#new-key").getText());
        String key = shown.group();
        find("button#copy-key");
        Browser.screenshot(driver, "key-created");
        eventually("the router accepts the new key", () -> routerStatus("/v1/models", key) == 200);

        visit("/keys", "keys-list");
        assertFalse(driver.getPageSource().contains(key), "the key is shown only once");
        WebElement row = keyRow("browser-made-key");
        String id = row.getAttribute("data-key-id");
        assertEquals("active", text(row, ".key-status"));
        row.findElement(By.cssSelector("button.revoke")).click();
        wait.until(d -> {
            acceptConfirmIfAsked();
            return "revoked".equals(text(find("tr[data-key-id='" + id + "']"), ".key-status"));
        });
        Browser.screenshot(driver, "key-revoked");
        eventually("the router refuses the revoked key", () -> routerStatus("/v1/models", key) == 401);
    }

    // ---- playground and monitoring ----------------------------------------------------------------------------------

    @Test
    void chatFromThePlaygroundIsServedAndShowsInMonitoringAndCost() {
        stack.admin.putProvider(provider("playground-llm", true, "playground-chat", UPSTREAM_KEY));
        String key = stack.admin.createKey("dashboard-playground-check")[1];
        eventually("the router serves playground-chat", () -> routerStatus("/v1/models/playground-chat", key) == 200);
        logIn();
        visit("/playground", "playground");
        new Select(find("select#model")).selectByValue("playground-chat");
        find("textarea#prompt").sendKeys("Say hello to the dashboard");
        find("button#send").click();
        // the playground's own key is created on its first chat; the registry sends again until the router knows it
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
            List<WebElement> error = d.findElements(By.cssSelector("#playground-error"));
            assertTrue(error.isEmpty() || !error.get(0).isDisplayed(),
                    () -> "the playground's chat failed: " + error.get(0).getText());
            return find("#answer").getText().contains(UPSTREAM_REPLY);
        });
        wait.until(d -> !find("#cost").getText().isBlank());
        Browser.screenshot(driver, "playground-answer");
        assertEquals("playground-llm", find("#served-provider").getText().trim());
        assertTrue(find("#served-endpoint").getText().contains("127.0.0.1:" + stack.upstream.port()),
                find("#served-endpoint").getText());
        assertEquals("1", find("#attempts").getText().trim());
        assertTrue(NUMBER.matcher(find("#latency").getText()).find(), "a latency");
        BigDecimal cost = number(find("#cost").getText());
        assertTrue(cost.signum() > 0, "the chat cost something: " + cost);

        visit("/monitoring?window=hour&provider=playground-llm", "monitoring");
        refreshUntil(USAGE_WAIT, "the chat in the monitoring numbers",
                () -> number(find("#total-requests").getText()).intValue() == 1);
        assertEquals(0, number(find("#total-errors").getText()).signum(), "no errors");
        assertSameAmount(cost, number(find("#total-cost").getText()));
        assertTrue(find("table#spend").getText().contains("playground-llm"), "spend by provider");
        find("a#export-csv");
        for (String chart : List.of("#chart-requests", "#chart-errors", "#chart-latency", "#chart-ttft",
                "#chart-tokens", "#chart-cost")) {
            find(chart);
        }
        // the charts draw billing's time series (a minute bucket with the one request); the timeline shows the
        // health monitor's first status of the provider's endpoint
        assertTrue(driver.findElements(By.cssSelector("#charts canvas")).size() >= 6, "uPlot drew the charts");
        String chart = find("#charts").getAttribute("data-chart");
        assertTrue(chart.matches("(?s).*\"requests\":\\[[^\\]]*1\\.0[^\\]]*\\].*"), "one request in a bucket: " + chart);
        assertTrue(find("#health-timeline").getText().contains("playground-llm"), find("#health-timeline").getText());
        Browser.screenshot(driver, "monitoring");

        visit("/providers", "providers-with-traffic");
        refreshUntil(USAGE_WAIT, "the chat in the providers' 24 h numbers",
                () -> number(rowText("playground-llm", ".requests-24h")).intValue() == 1);
        assertSameAmount(cost, number(rowText("playground-llm", ".cost-24h")));
        Browser.screenshot(driver, "providers-with-traffic");
    }
}
