package io.visca.gateway.dashboard;

import static io.visca.gateway.dashboard.DashboardStack.ADMIN_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
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
 * What the dashboard's browser tests share: the real services ({@link DashboardStack}) and a fake OpenAI upstream,
 * a headless Chromium (both started once for the module's test classes), a fresh browser without a session before
 * each test, a screenshot of what the browser showed when a test fails, and the helpers the tests drive the pages
 * and check the effects with. The DOM and URLs are those of shared-dashboard-contract.md; each page visited is saved to
 * {@code target/screenshots/<name>.png}.
 */
abstract class DashboardTestBase {

    static final Duration WAIT = Duration.ofSeconds(20);
    /** Usage goes router → Kafka → billing before the monitoring page can count it. */
    static final Duration USAGE_WAIT = Duration.ofSeconds(90);
    static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9,]*(\\.[0-9]+)?");

    static DashboardStack stack;
    static WebDriver driver;
    static WebDriverWait wait;

    /**
     * The stack and the browser, started once for every test class of this module (the first one that runs starts
     * them) and stopped when JUnit ends.
     */
    private static final class Shared implements ExtensionContext.Store.CloseableResource {

        Shared() {
            CompletableFuture<WebDriver> browser = CompletableFuture.supplyAsync(Browser::start);
            stack = DashboardStack.get();
            try {
                driver = browser.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            wait = new WebDriverWait(driver, WAIT);
        }

        @Override
        public void close() {
            if (driver != null) {
                driver.quit();
            }
            DashboardStack.stop();
        }
    }

    @RegisterExtension
    static final BeforeAllCallback SHARED = context -> context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
            .getOrComputeIfAbsent(Shared.class, k -> new Shared(), Shared.class);

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

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /** An openai-compatible provider on the fake upstream, probed every second, with priced model {@code modelId}. */
    static String provider(String name, boolean enabled, String modelId, String apiKey) {
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

    static String dashboard(String path) {
        return stack.registry.url() + path;
    }

    static String[] auth() {
        return new String[] { "Authorization", "Bearer " + ADMIN_TOKEN };
    }

    static JsonNode apiProvider(String name) {
        HttpResponse<String> response = Http.get(dashboard("/api/providers/" + name), auth());
        assertEquals(200, response.statusCode(), response.body());
        return Http.json(response.body());
    }

    static List<String> apiProviders() {
        HttpResponse<String> response = Http.get(dashboard("/api/providers"), auth());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = Http.json(response.body());
        JsonNode list = body.isArray() ? body : body.path("providers");
        List<String> names = new ArrayList<>();
        list.forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

    static int routerStatus(String path, String key) {
        return Http.get(stack.router.url() + path, "Authorization", "Bearer " + key).statusCode();
    }

    /** Opens a dashboard page and saves what it shows. */
    static void visit(String path, String screenshot) {
        driver.get(dashboard(path));
        find("main#main");
        Browser.screenshot(driver, screenshot);
    }

    /** Scrolls {@code element} into the middle of the window, then saves the screenshot. */
    static void screenshotAt(WebElement element, String name) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        Browser.screenshot(driver, name);
    }

    static void logIn() {
        driver.get(dashboard("/login"));
        find("input#token").sendKeys(ADMIN_TOKEN);
        find("button#login").click();
        wait.until(d -> !"/login".equals(currentPath()));
        assertNotNull(driver.manage().getCookieNamed("visca_session"), "logged in");
    }

    static WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    static WebElement field(String name) {
        return find("form#provider-form [name='" + name + "']");
    }

    /** The form's single-endpoint field: {@code base_url}, or {@code endpoints[0].url} where there is none. */
    static String baseUrlField() {
        return driver.findElements(By.cssSelector("form#provider-form [name='base_url']")).isEmpty()
                ? "endpoints[0].url"
                : "base_url";
    }

    static void type(String name, String value) {
        WebElement input = field(name);
        input.clear();
        input.sendKeys(value);
    }

    static void choose(String name, String value) {
        new Select(field(name)).selectByValue(value);
    }

    static String text(WebElement parent, String css) {
        return parent.findElement(By.cssSelector(css)).getText().trim();
    }

    /** Text of an element of a provider's row, read afresh (htmx swaps rows). */
    static String rowText(String provider, String css) {
        try {
            List<WebElement> found = driver
                    .findElements(By.cssSelector("tr[data-provider='" + provider + "'] " + css));
            return found.isEmpty() ? null : found.get(0).getText().trim();
        } catch (StaleElementReferenceException e) {
            return null;
        }
    }

    /** The first endpoint's row of Test Connection, once its result is in. */
    static WebElement testResult() {
        return wait.until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#test-results tr[data-endpoint]"));
            return !rows.isEmpty() && !text(rows.get(0), ".reachable").isEmpty() ? rows.get(0) : null;
        });
    }

    static WebElement keyRow(String name) {
        return wait.until(d -> d.findElements(By.cssSelector("table#keys tr[data-key-id]")).stream()
                .filter(r -> name.equals(text(r, ".key-name"))).findFirst().orElse(null));
    }

    static void acceptConfirmIfAsked() {
        try {
            driver.switchTo().alert().accept();
        } catch (NoAlertPresentException e) {
            // the dashboard asked nothing
        }
    }

    /** Reloads the page until {@code condition} holds: for numbers that arrive asynchronously. */
    static void refreshUntil(Duration within, String what, Supplier<Boolean> condition) {
        new WebDriverWait(driver, within, Duration.ofSeconds(1)).withMessage(what).until(d -> {
            if (Boolean.TRUE.equals(condition.get())) {
                return true;
            }
            d.navigate().refresh();
            return false;
        });
    }

    /** Polls a check outside the browser (the registry's API, the router) until it holds. */
    static void eventually(String what, Supplier<Boolean> check) {
        new FluentWait<>(check).withTimeout(WAIT).pollingEvery(Duration.ofMillis(200)).withMessage(what)
                .until(Supplier::get);
    }

    static String currentPath() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    static String queryParameter(URI uri, String name) {
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

    static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** The number a cell shows ("$0.0123", "1,024", "12 ms"). */
    static BigDecimal number(String text) {
        Matcher m = NUMBER.matcher(text == null ? "" : text);
        return m.find() ? new BigDecimal(m.group().replace(",", "")) : BigDecimal.valueOf(-1);
    }

    /** Two displays of one amount, each rounded to the precision it shows. */
    static void assertSameAmount(BigDecimal expected, BigDecimal shown) {
        int scale = Math.min(expected.scale(), shown.scale());
        assertEquals(0, expected.setScale(scale, java.math.RoundingMode.HALF_UP)
                .compareTo(shown.setScale(scale, java.math.RoundingMode.HALF_UP)),
                "amount " + shown + " is not " + expected);
    }
}
