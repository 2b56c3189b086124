package io.visca.gateway.dashboard;

import static io.visca.gateway.dashboard.DashboardStack.UPSTREAM_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 15's presets in a real browser: "Add Custom Provider" from the vLLM preset, pointed at the fake
 * OpenAI-compatible server (which, like vLLM started with {@code --api-key}, takes one bearer key), Test Connection
 * passing with the preset's health check, then routing enabled and the router serving the model; and the HTTPS notice
 * for a plain-http URL to a public address, saved anyway.
 */
class DashboardPresetTests extends DashboardTestBase {

    @Test
    void addsTheVllmPresetTestsItAndEnablesRouting() {
        stack.admin.deleteProvider("preset-vllm");
        String key = stack.admin.createKey("dashboard-preset")[1];
        logIn();
        visit("/providers/new", "provider-presets");
        find("#presets a.preset[data-preset='vllm']").click();
        wait.until(d -> "preset=vllm".equals(URI.create(d.getCurrentUrl()).getQuery()));
        assertTrue(find("#preset-hint").getText().contains("vllm serve"), find("#preset-hint").getText());
        assertEquals("openai-compatible", new Select(field("type")).getFirstSelectedOption().getAttribute("value"));
        assertEquals("http://localhost:8000/v1", field("base_url").getAttribute("value"), "vLLM's default");
        assertEquals("none", new Select(field("auth_type")).getFirstSelectedOption().getAttribute("value"));
        assertEquals("models", field("health_check.endpoint").getAttribute("value"));
        Browser.screenshot(driver, "provider-preset-vllm");

        type("name", "preset-vllm");
        type("base_url", stack.upstream.baseUrl());
        choose("auth_type", "bearer"); // the fake, like vLLM with --api-key, wants a bearer key
        type("api_key", UPSTREAM_KEY);
        type("models[0].id", "preset-vllm-chat");
        type("models[0].upstream_model", "dash-gpt");
        WebElement enabled = field("enabled");
        if (enabled.isSelected()) {
            enabled.click(); // saved disabled: routing is switched on after the test passes
        }
        find("button#save").click();
        wait.until(d -> "/providers/preset-vllm/edit".equals(currentPath()));
        find("#saved");
        assertTrue(driver.findElements(By.id("https-advice")).isEmpty(), "loopback: no HTTPS advice");
        JsonNode saved = apiProvider("preset-vllm");
        assertEquals("openai-compatible", saved.path("type").asText());
        assertEquals("models", saved.path("health_check").path("endpoint").asText());
        assertFalse(saved.path("enabled").asBoolean());

        find("button#test-connection").click();
        WebElement result = testResult();
        screenshotAt(find("#test-results"), "provider-preset-vllm-tested");
        assertEquals("reachable", text(result, ".reachable"));
        assertEquals("200", text(result, ".status"));
        assertTrue(text(result, ".health-check").startsWith("ok"), text(result, ".health-check"));
        assertEquals("", text(result, ".reason"));
        assertTrue(find("#test-summary").getText().contains("Every endpoint answered"));

        eventually("the router knows the new key", () -> routerStatus("/v1/models", key) == 200);
        assertEquals(404, routerStatus("/v1/models/preset-vllm-chat", key), "disabled: not routed to");
        visit("/routing", "routing-preset");
        WebElement toggle = find("input.routing-toggle[data-provider='preset-vllm']");
        assertFalse(toggle.isSelected());
        toggle.click();
        eventually("the registry has preset-vllm enabled", () -> apiProvider("preset-vllm").path("enabled")
                .asBoolean());
        eventually("the router serves preset-vllm's model",
                () -> routerStatus("/v1/models/preset-vllm-chat", key) == 200);
    }

    @Test
    void showsTheHttpsNoticeForAPlainHttpPublicUrl() {
        stack.admin.deleteProvider("preset-http-public");
        logIn();
        visit("/providers/new?preset=vllm", "provider-preset-http");
        type("name", "preset-http-public");
        type("base_url", "http://203.0.113.10:8000/v1"); // a public (documentation) address: no DNS, never called
        type("models[0].id", "remote-llama");
        find("button#save").click();
        wait.until(d -> "/providers/preset-http-public/edit".equals(currentPath()));
        find("#saved");
        WebElement notice = find("#https-advice");
        screenshotAt(notice, "provider-https-advice");
        assertTrue(notice.getText().contains("https://"), notice.getText());
        assertTrue(notice.getText().contains("203.0.113.10"), notice.getText());
        assertFalse(driver.findElements(By.cssSelector("#https-advice li[data-field='endpoints[0].base_url']"))
                .isEmpty());
        assertTrue(driver.findElements(By.id("form-errors")).isEmpty(), "advice, not an error");
        assertEquals("http://203.0.113.10:8000/v1",
                apiProvider("preset-http-public").path("endpoints").path(0).path("base_url").asText(), "saved");
        stack.admin.deleteProvider("preset-http-public"); // nothing listens there: no probes of it after this test
    }
}
