package io.visca.gateway.dashboard;

import static io.visca.gateway.dashboard.DashboardStack.UPSTREAM_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 7's "Must show" in a real browser: adding providers through the form and as JSON, inline errors, Test
 * Connection, routing, disable, delete, health and the banners when the health monitor and billing are down. Every check of an
 * effect goes past the page: to the registry's API, the router's /v1 or billing's numbers. Each
 * test logs in itself and creates the providers it needs, under names of its own.
 */
class DashboardProviderTests extends DashboardTestBase {

    // ---- providers ----------------------------------------------------------------------------------------------

    @Test
    void addsAProviderThroughTheForm() {
        stack.admin.deleteProvider("form-added");
        logIn();
        visit("/providers", "providers-before-add");
        find("a#add-provider").click();
        wait.until(d -> "/providers/new".equals(currentPath()));
        find("form#provider-form");
        Browser.screenshot(driver, "provider-form");
        type("name", "form-added");
        choose("type", "openai-compatible");
        type(baseUrlField(), stack.upstream.baseUrl());
        choose("auth_type", "bearer");
        type("api_key", UPSTREAM_KEY);
        type("models[0].id", "dash-mini");
        type("models[0].name", "Dash Mini");
        type("models[0].context_window", "16384");
        type("models[0].cost_per_1k_input", "0.25");
        type("models[0].cost_per_1k_output", "1.5");
        Browser.screenshot(driver, "provider-form-filled");
        find("button#save").click();

        wait.until(d -> "/providers/form-added/edit".equals(currentPath()));
        find("#saved");
        Browser.screenshot(driver, "provider-saved");
        assertFalse(driver.getPageSource().contains(UPSTREAM_KEY), "the key is write-only");
        assertEquals("", field("api_key").getAttribute("value"));

        JsonNode saved = apiProvider("form-added");
        assertEquals("openai-compatible", saved.path("type").asText());
        assertEquals(stack.upstream.baseUrl(), saved.path("endpoints").path(0).path("base_url").asText());
        assertEquals("bearer", saved.path("auth").path("auth_type").asText());
        assertEquals("********", saved.path("auth").path("api_key").asText(), "a literal key, stored");
        JsonNode model = saved.path("models").path(0);
        assertEquals("dash-mini", model.path("id").asText());
        assertEquals("Dash Mini", model.path("name").asText());
        assertEquals(16384, model.path("context_window").asInt());
        assertEquals(0, new BigDecimal("0.25").compareTo(model.path("cost_per_1k_input").decimalValue()));
        assertEquals(0, new BigDecimal("1.5").compareTo(model.path("cost_per_1k_output").decimalValue()));

        visit("/providers", "providers-after-add");
        WebElement row = find("tr[data-provider='form-added']");
        assertEquals("openai-compatible", row.findElement(By.cssSelector(".type")).getText().trim());
        assertTrue(row.findElement(By.cssSelector(".models")).getText().contains("dash-mini"));
        assertTrue(row.findElement(By.cssSelector(".endpoints")).getText()
                .contains("127.0.0.1:" + stack.upstream.port()));
        assertEquals("enabled", row.findElement(By.cssSelector(".enabled")).getText().trim());
    }

    @Test
    void editsAProviderAndKeepsItsKey() {
        stack.admin.putProvider(provider("to-edit", true, "to-edit-chat", UPSTREAM_KEY));
        logIn();
        visit("/providers", "providers-to-edit");
        find("tr[data-provider='to-edit'] a.edit").click();
        wait.until(d -> "/providers/to-edit/edit".equals(currentPath()));
        assertEquals("", field("api_key").getAttribute("value"), "the stored key is not shown");
        assertTrue(field("api_key").getAttribute("placeholder").contains("unchanged"));
        type("models[0].cost_per_1k_output", "12.5");
        find("button#save").click();

        wait.until(d -> "/providers/to-edit/edit".equals(currentPath()) && !d.findElements(By.id("saved")).isEmpty());
        Browser.screenshot(driver, "provider-edited");
        JsonNode saved = apiProvider("to-edit");
        assertEquals(0, new BigDecimal("12.5").compareTo(saved.path("models").path(0).path("cost_per_1k_output")
                .decimalValue()));
        assertEquals("********", saved.path("auth").path("api_key").asText(), "a literal key is still stored");
        // the stored key is the right one still: the upstream, which takes only that key, answers
        find("button#test-connection").click();
        WebElement result = testResult();
        assertEquals("200", text(result, ".status"), text(result, ".reason"));
    }

    @Test
    void addsAProviderAsJson() {
        stack.admin.deleteProvider("json-added");
        String document = provider("json-added", true, "json-added-chat", "${DASHBOARD_E2E_KEY}");
        logIn();
        visit("/providers/new", "provider-form-for-json");
        find("a#edit-as-json").click();
        WebElement json = find("form#provider-json-form textarea#provider-json");
        json.clear();
        json.sendKeys(document);
        Browser.screenshot(driver, "provider-json");
        find("button#save-json").click();

        wait.until(d -> "/providers/json-added/edit".equals(currentPath()));
        find("#saved");
        JsonNode saved = apiProvider("json-added");
        assertEquals(stack.upstream.baseUrl(), saved.path("endpoints").path(0).path("base_url").asText());
        assertEquals("${DASHBOARD_E2E_KEY}", saved.path("auth").path("api_key").asText(), "a reference, as written");
        assertEquals("json-added-chat", saved.path("models").path(0).path("id").asText());
        assertEquals(1, saved.path("health_check").path("interval_seconds").asInt());
    }

    @Test
    void badFormInputShowsInlineErrorsAndSavesNothing() {
        stack.admin.deleteProvider("bad-input");
        int providersBefore = apiProviders().size();
        logIn();
        visit("/providers/new", "provider-form-new");
        type("name", "bad-input");
        choose("type", "openai-compatible");
        type(baseUrlField(), "ftp://models.example.com/v1");
        choose("auth_type", "none");
        type("models[0].id", "dash-gpt");
        type("models[0].context_window", "200000000");
        find("button#save").click();

        find("#form-errors");
        WebElement urlError = find(".field-error[data-field$='base_url']");
        assertTrue(urlError.getText().contains("http"), urlError.getText());
        WebElement windowError = find(".field-error[data-field='models[0].context_window']");
        assertFalse(windowError.getText().isBlank());
        assertEquals("bad-input", field("name").getAttribute("value"), "the input is kept");
        assertEquals("ftp://models.example.com/v1", field(baseUrlField()).getAttribute("value"));
        assertFalse(driver.getPageSource().contains("Exception"), "no stack trace");
        Browser.screenshot(driver, "provider-form-errors");

        assertEquals(404, Http.get(dashboard("/api/providers/bad-input"), auth()).statusCode(), "nothing saved");
        assertEquals(providersBefore, apiProviders().size(), "nothing saved");
    }

    @Test
    void testConnectionShowsTheEndpointReachableWithItsModels() {
        stack.admin.putProvider(provider("conn-ok", true, "conn-ok-chat", UPSTREAM_KEY));
        logIn();
        visit("/providers/conn-ok/edit", "provider-edit");
        find("button#test-connection").click();
        WebElement result = testResult();
        screenshotAt(find("#test-results"), "test-connection");
        assertEquals("reachable", text(result, ".reachable"));
        assertEquals("200", text(result, ".status"));
        String models = text(result, ".models");
        for (String id : DashboardStack.UPSTREAM_MODELS) {
            assertTrue(models.contains(id), "models " + models + " lists " + id);
        }
        assertTrue(NUMBER.matcher(text(result, ".latency")).find(), "a latency");
        assertEquals("", text(result, ".reason"));
    }

    @Test
    void testConnectionWithAWrongKeyShowsThe401() {
        stack.admin.putProvider(provider("conn-wrong-key", true, "conn-wrong-key-chat", "sk-not-the-right-key"));
        logIn();
        visit("/providers/conn-wrong-key/edit", "provider-edit-wrong-key");
        find("button#test-connection").click();
        WebElement result = testResult();
        screenshotAt(find("#test-results"), "test-connection-401");
        assertEquals("401", text(result, ".status"));
        String reason = text(result, ".reason").toLowerCase(Locale.ROOT);
        assertTrue(reason.contains("401") || reason.contains("auth"), "the reason names the 401: " + reason);
        assertFalse(driver.getPageSource().contains("sk-not-the-right-key"), "the key is never shown");
    }

    @Test
    void enablesRoutingForAProvider() {
        stack.admin.putProvider(provider("routing-off", false, "routing-off-chat", UPSTREAM_KEY));
        String key = stack.admin.createKey("dashboard-routing")[1];
        eventually("the router knows the new key", () -> routerStatus("/v1/models", key) == 200);
        assertEquals(404, routerStatus("/v1/models/routing-off-chat", key), "a disabled provider is not routed to");
        logIn();
        visit("/routing", "routing");
        WebElement toggle = find("input.routing-toggle[data-provider='routing-off']");
        assertFalse(toggle.isSelected(), "disabled, so not checked");
        toggle.click();
        eventually("the registry has routing-off enabled", () -> apiProvider("routing-off").path("enabled").asBoolean());
        eventually("the router serves routing-off's model", () -> routerStatus("/v1/models/routing-off-chat", key) == 200);
        Browser.screenshot(driver, "routing-enabled");
        visit("/routing", "routing-after-enable");
        assertTrue(find("input.routing-toggle[data-provider='routing-off']").isSelected(), "checked after a reload");
    }

    @Test
    void savesTheDefaultPolicyForAuto() {
        stack.admin.putProvider(provider("policy-target", true, "policy-target-chat", UPSTREAM_KEY));
        logIn();
        visit("/routing", "routing-policies");
        WebElement form = find("form#policy-auto");
        new Select(form.findElement(By.name("strategy"))).selectByValue("latency-optimized");
        form.findElement(By.cssSelector("button.save-policy")).click();
        eventually("the auto policy is latency-optimized", () -> "latency-optimized"
                .equals(Http.json(Http.get(dashboard("/api/routing"), auth()).body()).path("auto").path("strategy")
                        .asText()));
        Browser.screenshot(driver, "routing-policy-saved");
        stack.admin.setRouting("auto", null);
    }

    @Test
    void disablesAProvider() {
        stack.admin.putProvider(provider("to-disable", true, "to-disable-chat", UPSTREAM_KEY));
        logIn();
        visit("/providers", "providers-to-disable");
        assertEquals("enabled", rowText("to-disable", ".enabled"));
        find("tr[data-provider='to-disable'] button.toggle-enabled").click();
        wait.until(d -> "disabled".equals(rowText("to-disable", ".enabled")));
        Browser.screenshot(driver, "provider-disabled");
        eventually("the registry has to-disable disabled", () -> !apiProvider("to-disable").path("enabled").asBoolean());
    }

    @Test
    void deletesAProviderAfterConfirmation() {
        stack.admin.putProvider(provider("to-delete", true, "to-delete-chat", UPSTREAM_KEY));
        logIn();
        visit("/providers", "providers-to-delete");
        find("tr[data-provider='to-delete'] button.delete").click();
        find("dialog#confirm-delete");
        Browser.screenshot(driver, "provider-delete-confirm");
        find("button#confirm-delete-no").click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog#confirm-delete")));
        assertEquals(200, Http.get(dashboard("/api/providers/to-delete"), auth()).statusCode(), "kept after a no");
        find("tr[data-provider='to-delete']");

        find("tr[data-provider='to-delete'] button.delete").click();
        find("button#confirm-delete-yes").click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-provider='to-delete']"), 0));
        Browser.screenshot(driver, "provider-deleted");
        assertEquals(404, Http.get(dashboard("/api/providers/to-delete"), auth()).statusCode(), "deleted");
    }

    @Test
    void providersPageShowsEachEndpointsHealth() {
        stack.admin.putProvider(provider("health-up", true, "health-up-chat", UPSTREAM_KEY));
        stack.admin.putProvider(provider("health-down", true, "health-down-chat", UPSTREAM_KEY)
                .replace(stack.upstream.baseUrl(), "http://127.0.0.1:" + io.visca.gateway.infra.Ports.free() + "/v1"));
        logIn();
        visit("/providers", "providers-health");
        refreshUntil(WAIT.multipliedBy(2), "health-up's endpoint UP and health-down's DOWN",
                () -> "UP".equals(rowText("health-up", ".health .endpoint-health"))
                        && "DOWN".equals(rowText("health-down", ".health .endpoint-health")));
        Browser.screenshot(driver, "providers-health");
    }

    @Test
    void pagesSayWhenTheHealthMonitorAndBillingAreDown() {
        stack.admin.putProvider(provider("outage-watch", true, "outage-watch-chat", UPSTREAM_KEY));
        logIn();
        CompletableFuture.allOf(CompletableFuture.runAsync(stack.healthMonitor::stop),
                CompletableFuture.runAsync(stack.billing::stop)).join();
        try {
            visit("/providers", "providers-backends-down");
            assertTrue(find(".banner.banner-health").getText().toLowerCase(Locale.ROOT).contains("health monitor"));
            assertTrue(find(".banner.banner-billing").getText().toLowerCase(Locale.ROOT).contains("billing"));
            assertEquals("enabled", rowText("outage-watch", ".enabled"), "the rest of the page works");
            assertEquals("UNKNOWN", rowText("outage-watch", ".health .endpoint-health"));
            visit("/monitoring?window=day", "monitoring-billing-down");
            assertTrue(find(".banner.banner-billing").isDisplayed());
            find("select#window");
            assertFalse(driver.getPageSource().contains("Exception"), "no stack trace");
        } finally {
            CompletableFuture.allOf(CompletableFuture.runAsync(stack.healthMonitor::start),
                    CompletableFuture.runAsync(stack.billing::start)).join();
        }
        visit("/providers", "providers-backends-back");
        refreshUntil(WAIT.multipliedBy(2), "the banners gone once both are back",
                () -> driver.findElements(By.cssSelector(".banner.banner-health, .banner.banner-billing")).isEmpty());
    }
}
