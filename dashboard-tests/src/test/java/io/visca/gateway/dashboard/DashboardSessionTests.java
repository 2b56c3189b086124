package io.visca.gateway.dashboard;

import static io.visca.gateway.dashboard.DashboardStack.ADMIN_TOKEN;
import static io.visca.gateway.dashboard.DashboardStack.UPSTREAM_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * Issue 7's "Must show" in a real browser: a request without a session goes to the login, logging in and out, and
 * CSRF. Every check of an effect goes past the page: to the registry's API, the router's /v1 or billing's numbers. Each
 * test logs in itself and creates the providers it needs, under names of its own.
 */
class DashboardSessionTests extends DashboardTestBase {

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
}
