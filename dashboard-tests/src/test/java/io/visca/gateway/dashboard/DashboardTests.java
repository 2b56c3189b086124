package io.visca.gateway.dashboard;

import static io.visca.gateway.dashboard.DashboardStack.ADMIN_TOKEN;
import static io.visca.gateway.dashboard.DashboardStack.UPSTREAM_KEY;
import static io.visca.gateway.dashboard.DashboardStack.UPSTREAM_REPLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The dashboard as an operator uses it, in a real headless Chromium, against the real services
 * ({@link DashboardStack}) and a fake OpenAI upstream: the flows of issue 7's "Must show". Every check of an effect goes
 * past the page: to the registry's API, the router's /v1 or billing's numbers. The DOM and URLs are those of
 * shared-dashboard-contract.md. Each test logs in itself and creates the providers it needs, under names of its own;
 * each page it visits is saved to {@code target/screenshots/<name>.png}.
 */
class DashboardTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Usage goes router → Kafka → billing before the monitoring page can count it. */
    private static final Duration USAGE_WAIT = Duration.ofSeconds(90);
    private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9,]*(\\.[0-9]+)?");

    private static DashboardStack stack;
    private static WebDriver driver;
    private static WebDriverWait wait;

    @BeforeAll
    static void start() {
        CompletableFuture<WebDriver> browser = CompletableFuture.supplyAsync(Browser::start);
        stack = DashboardStack.get();
        try {
            driver = browser.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        wait = new WebDriverWait(driver, WAIT);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        DashboardStack.stop();
    }

    /** What the browser showed when a test failed: {@code target/screenshots/failed-<test>.png}. */
    @RegisterExtension
    final TestWatcher screenshotOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (driver != null) {
                try {
                    Browser.screenshot(driver, "failed-" + context.getRequiredTestMethod().getName());
                } catch (RuntimeException e) {
                    cause.addSuppressed(e); // e.g. an alert open: the test's own failure is what matters
                }
            }
        }
    };

    /** Every test starts without a session. */
    @BeforeEach
    void withoutSession() {
        driver.get(dashboard("/login"));
        driver.manage().deleteAllCookies();
    }

    // ---- session ----------------------------------------------------------------------------------------------

    @Test
    void pageWithoutSessionIsSentToTheLogin() {
        for (String page : List.of("/providers", "/", "/providers/new", "/routing", "/keys", "/monitoring",
                "/playground")) {
            driver.get(dashboard(page));
            find("form#login-form");
            URI at = URI.create(driver.getCurrentUrl());
            assertEquals("/login", at.getPath(), page + " without a session");
            assertEquals(page, queryParameter(at, "next"), page + " without a session");
        }
        assertEquals("password", find("input#token").getAttribute("type"));
        Browser.screenshot(driver, "login");

        HttpResponse<String> htmx = Http.get(dashboard("/providers"), "HX-Request", "true");
        assertEquals(401, htmx.statusCode(), "an htmx request without a session");
        assertEquals("/login", htmx.headers().firstValue("HX-Redirect").orElse(null));
        HttpResponse<String> page = Http.get(dashboard("/keys"));
        assertEquals(303, page.statusCode());
        URI location = URI.create(dashboard("/keys")).resolve(page.headers().firstValue("Location").orElse(""));
        assertEquals(dashboard("/login"), location.getScheme() + "://" + location.getAuthority() + location.getPath());
        assertEquals("/keys", queryParameter(location, "next"));
        // the JSON API keeps its bearer token: no redirect to a login page
        assertEquals(401, Http.get(dashboard("/api/providers")).statusCode());
        assertEquals(200, Http.get(dashboard("/api/providers"), "Authorization", "Bearer " + ADMIN_TOKEN)
                .statusCode());
    }

    @Test
    void logsInWithTheAdminTokenAfterAWrongOne() {
        visit("/login", "login-form");
        find("input#token").sendKeys("not-the-admin-token");
        find("button#login").click();
        WebElement error = find("#login-error");
        assertFalse(error.getText().isBlank(), "the login error says what went wrong");
        assertEquals("/login", currentPath());
        assertNull(driver.manage().getCookieNamed("visca_session"), "no session for a wrong token");
        Browser.screenshot(driver, "login-wrong-token");

        find("input#token").clear();
        find("input#token").sendKeys(ADMIN_TOKEN);
        find("button#login").click();
        wait.until(d -> "/providers".equals(currentPath()));
        find("table#providers");
        Browser.screenshot(driver, "providers");
        Cookie session = driver.manage().getCookieNamed("visca_session");
        assertNotNull(session, "the session cookie");
        assertTrue(session.isHttpOnly(), "the session cookie is HttpOnly");
        assertEquals("strict", String.valueOf(session.getSameSite()).toLowerCase(Locale.ROOT));
        assertEquals("/", session.getPath());
        assertFalse(driver.getPageSource().contains(ADMIN_TOKEN), "the admin token is not in the page");
    }

    @Test
    void loginReturnsToThePageAskedFor() {
        driver.get(dashboard("/keys"));
        find("input#token").sendKeys(ADMIN_TOKEN);
        find("button#login").click();
        wait.until(d -> "/keys".equals(currentPath()));
        find("form#key-form");
    }

    @Test
    void logsOut() {
        logIn();
        find("form#logout-form button#logout").click();
        wait.until(d -> "/login".equals(currentPath()));
        assertNull(driver.manage().getCookieNamed("visca_session"), "the session cookie is cleared");
        driver.get(dashboard("/providers"));
        find("form#login-form");
        assertEquals("/login", currentPath());
    }

    @Test
    void stateChangingRequestWithoutTheCsrfTokenChangesNothing() {
        stack.admin.putProvider(provider("csrf-target", true, "csrf-target-chat", UPSTREAM_KEY));
        logIn();
        String cookie = "visca_session=" + driver.manage().getCookieNamed("visca_session").getValue();
        for (String body : List.of("enabled=false", "enabled=false&csrf=not-the-token")) {
            HttpResponse<String> refused = Http.post(dashboard("/providers/csrf-target/enabled"),
                    "application/x-www-form-urlencoded", body, "Cookie", cookie);
            assertEquals(403, refused.statusCode(), body);
            assertFalse(refused.body().contains("at io.") || refused.body().contains("Exception"),
                    "no stack trace: " + refused.body());
        }
        assertTrue(apiProvider("csrf-target").path("enabled").asBoolean(), "still enabled");
    }

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

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /** An openai-compatible provider on the fake upstream, probed every second, with priced model {@code modelId}. */
    private static String provider(String name, boolean enabled, String modelId, String apiKey) {
        return """
                {"name": "%s", "type": "openai-compatible", "enabled": %s, "base_url": "%s",
                 "auth": {"auth_type": "bearer", "api_key": "%s"},
                 "models": [{"id": "%s", "name": "%s", "upstream_model": "dash-gpt", "context_window": 8192,
                             "cost_per_1k_input": 2.5, "cost_per_1k_output": 10}],
                 "health_check": {"enabled": true, "endpoint": "/health", "interval_seconds": 1,
                                  "timeout_seconds": 1, "failure_threshold": 1},
                 "retry": {"max_retries": 0}}"""
                .formatted(name, enabled, stack.upstream.baseUrl(), apiKey, modelId, modelId);
    }

    private static String dashboard(String path) {
        return stack.registry.url() + path;
    }

    private static String[] auth() {
        return new String[] { "Authorization", "Bearer " + ADMIN_TOKEN };
    }

    private static JsonNode apiProvider(String name) {
        HttpResponse<String> response = Http.get(dashboard("/api/providers/" + name), auth());
        assertEquals(200, response.statusCode(), response.body());
        return Http.json(response.body());
    }

    private static List<String> apiProviders() {
        HttpResponse<String> response = Http.get(dashboard("/api/providers"), auth());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = Http.json(response.body());
        JsonNode list = body.isArray() ? body : body.path("providers");
        List<String> names = new ArrayList<>();
        list.forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

    private static int routerStatus(String path, String key) {
        return Http.get(stack.router.url() + path, "Authorization", "Bearer " + key).statusCode();
    }

    /** Opens a dashboard page and saves what it shows. */
    private static void visit(String path, String screenshot) {
        driver.get(dashboard(path));
        find("main#main");
        Browser.screenshot(driver, screenshot);
    }

    /** Scrolls {@code element} into the middle of the window, then saves the screenshot. */
    private static void screenshotAt(WebElement element, String name) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        Browser.screenshot(driver, name);
    }

    private static void logIn() {
        driver.get(dashboard("/login"));
        find("input#token").sendKeys(ADMIN_TOKEN);
        find("button#login").click();
        wait.until(d -> !"/login".equals(currentPath()));
        assertNotNull(driver.manage().getCookieNamed("visca_session"), "logged in");
    }

    private static WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    private static WebElement field(String name) {
        return find("form#provider-form [name='" + name + "']");
    }

    /** The form's single-endpoint field: {@code base_url}, or {@code endpoints[0].url} where there is none. */
    private static String baseUrlField() {
        return driver.findElements(By.cssSelector("form#provider-form [name='base_url']")).isEmpty()
                ? "endpoints[0].url"
                : "base_url";
    }

    private static void type(String name, String value) {
        WebElement input = field(name);
        input.clear();
        input.sendKeys(value);
    }

    private static void choose(String name, String value) {
        new Select(field(name)).selectByValue(value);
    }

    private static String text(WebElement parent, String css) {
        return parent.findElement(By.cssSelector(css)).getText().trim();
    }

    /** Text of an element of a provider's row, read afresh (htmx swaps rows). */
    private static String rowText(String provider, String css) {
        try {
            List<WebElement> found = driver
                    .findElements(By.cssSelector("tr[data-provider='" + provider + "'] " + css));
            return found.isEmpty() ? null : found.get(0).getText().trim();
        } catch (StaleElementReferenceException e) {
            return null;
        }
    }

    /** The first endpoint's row of Test Connection, once its result is in. */
    private static WebElement testResult() {
        return wait.until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#test-results tr[data-endpoint]"));
            return !rows.isEmpty() && !text(rows.get(0), ".reachable").isEmpty() ? rows.get(0) : null;
        });
    }

    private static WebElement keyRow(String name) {
        return wait.until(d -> d.findElements(By.cssSelector("table#keys tr[data-key-id]")).stream()
                .filter(r -> name.equals(text(r, ".key-name"))).findFirst().orElse(null));
    }

    private static void acceptConfirmIfAsked() {
        try {
            driver.switchTo().alert().accept();
        } catch (NoAlertPresentException e) {
            // the dashboard asked nothing
        }
    }

    /** Reloads the page until {@code condition} holds: for numbers that arrive asynchronously. */
    private static void refreshUntil(Duration within, String what, Supplier<Boolean> condition) {
        new WebDriverWait(driver, within, Duration.ofSeconds(1)).withMessage(what).until(d -> {
            if (Boolean.TRUE.equals(condition.get())) {
                return true;
            }
            d.navigate().refresh();
            return false;
        });
    }

    /** Polls a check outside the browser (the registry's API, the router) until it holds. */
    private static void eventually(String what, Supplier<Boolean> check) {
        new FluentWait<>(check).withTimeout(WAIT).pollingEvery(Duration.ofMillis(200)).withMessage(what)
                .until(Supplier::get);
    }

    private static String currentPath() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    private static String queryParameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** The number a cell shows ("$0.0123", "1,024", "12 ms"). */
    private static BigDecimal number(String text) {
        Matcher m = NUMBER.matcher(text == null ? "" : text);
        return m.find() ? new BigDecimal(m.group().replace(",", "")) : BigDecimal.valueOf(-1);
    }

    /** Two displays of one amount, each rounded to the precision it shows. */
    private static void assertSameAmount(BigDecimal expected, BigDecimal shown) {
        int scale = Math.min(expected.scale(), shown.scale());
        assertEquals(0, expected.setScale(scale, java.math.RoundingMode.HALF_UP)
                .compareTo(shown.setScale(scale, java.math.RoundingMode.HALF_UP)),
                "amount " + shown + " is not " + expected);
    }
}
