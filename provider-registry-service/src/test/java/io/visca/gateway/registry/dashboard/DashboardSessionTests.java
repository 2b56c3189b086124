package io.visca.gateway.registry.dashboard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.infra.test.ManagementInterface;
import io.visca.gateway.registry.TestApi;

/** Login, the session cookie, CSRF and logout of the dashboard; the JSON APIs keep their bearer tokens. */
@QuarkusTest
class DashboardSessionTests {

    @ParameterizedTest
    @ValueSource(strings = { "/", "/providers", "/providers/new", "/providers/some-name/edit", "/routing", "/keys",
            "/keys/some-id/edit", "/teams", "/teams/some-team/edit", "/budget-alerts", "/monitoring", "/playground",
            "/providers?x=1" })
    void sendsEveryPageWithoutASessionToTheLogin(String path) {
        given().redirects().follow(false).get(path).then().statusCode(303)
                .header("Location", endsWith("/login?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8)));
    }

    @Test
    void answersHtmxRequestsWithoutASessionWith401AndHxRedirect() {
        given().redirects().follow(false).header("HX-Request", "true").get("/providers").then().statusCode(401)
                .header("HX-Redirect", equalTo("/login"));
        given().redirects().follow(false).header("HX-Request", "true").post("/providers/x/test").then()
                .statusCode(401).header("HX-Redirect", equalTo("/login"));
    }

    @Test
    void rendersTheLoginForm() {
        Document page = Jsoup.parse(given().get("/login?next=/keys").then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'")).extract().asString());
        assertEquals("password", page.selectFirst("form#login-form input#token").attr("type"));
        assertEquals("token", page.selectFirst("input#token").attr("name"));
        assertEquals("Admin token", page.selectFirst("label[for=token]").text());
        assertNotNull(page.selectFirst("button#login"));
        assertEquals("/keys", page.selectFirst("input[name=next]").attr("value"));
        assertTrue(page.selectFirst("header nav#nav") == null, "no navigation before the login: every link leads back here");
        assertNotNull(page.selectFirst("main#main"));
    }

    @Test
    void servesHtmxFromItsWebjarAndTheDashboardsOwnCssAndScript() {
        given().get("/webjars/htmx.org/2.0.7/dist/htmx.min.js").then().statusCode(200)
                .body(containsString("htmx"));
        given().get("/dashboard/dashboard.css").then().statusCode(200).body(containsString(":focus-visible"));
        given().get("/dashboard/dashboard.js").then().statusCode(200).body(containsString("confirm-delete"));
    }

    @Test
    void refusesAWrongTokenWith401AndNoCookie() {
        Response response = given().redirects().follow(false).formParam("token", TestApi.ADMIN_TOKEN + "x")
                .post("/login");
        assertEquals(401, response.statusCode());
        assertNull(response.getCookie("visca_session"));
        Document page = Jsoup.parse(response.asString());
        assertTrue(page.selectFirst("#login-error").text().contains("not the admin token"));
        assertFalse(response.asString().contains(TestApi.ADMIN_TOKEN));
        given().redirects().follow(false).post("/login").then().statusCode(401);
    }

    @Test
    void logsInWithTheAdminTokenToAStrictHttpOnlyCookieThatHoldsNoToken() {
        Response response = given().redirects().follow(false).formParam("token", TestApi.ADMIN_TOKEN)
                .formParam("next", "/providers/new").post("/login");
        assertEquals(303, response.statusCode());
        assertEquals(location("/providers/new"), response.header("Location"));
        String setCookie = response.header("Set-Cookie");
        assertTrue(setCookie.startsWith("visca_session="), setCookie);
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=strict"), setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain http: " + setCookie);
        assertFalse(setCookie.contains(TestApi.ADMIN_TOKEN), setCookie);
        given().redirects().follow(false).cookie("visca_session", response.getCookie("visca_session"))
                .get("/providers").then().statusCode(200).body(containsString("table id=\"providers\""));
    }

    @ParameterizedTest
    @ValueSource(strings = { "//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
            "/login" })
    void neverSendsTheLoginToAnotherOrigin(String next) {
        given().redirects().follow(false).formParam("token", TestApi.ADMIN_TOKEN).formParam("next", next)
                .post("/login").then().statusCode(303).header("Location", equalTo(location("/providers")));
    }

    @Test
    void rejectsATamperedOrForgedCookie() {
        String session = DashboardClient.login().session();
        String[] parts = session.split("\\.");
        String longer = (Long.parseLong(parts[0]) + 100_000) + "." + parts[1] + "." + parts[2];
        for (String forged : new String[] { longer, session + "x", "1.2.3", "garbage", "" }) {
            given().redirects().follow(false).cookie("visca_session", forged).get("/providers").then()
                    .statusCode(303);
        }
    }

    @Test
    void logoutNeedsTheCsrfTokenThenClearsTheCookieAndEndsTheSession() {
        DashboardClient browser = DashboardClient.login();
        browser.postWithoutCsrf("/logout", Map.of()).then().statusCode(403)
                .body(containsString("nothing was changed"));
        browser.postWithoutCsrf("/logout", Map.of("csrf", browser.csrf() + "x")).then().statusCode(403);
        Document page = browser.page("/providers");
        for (String link : new String[] { "providers", "routing", "keys", "monitoring", "playground" }) {
            assertNotNull(page.selectFirst("header nav#nav a#nav-" + link + "[href=/" + link + "]"), link);
        }
        assertNotNull(page.selectFirst("form#logout-form button#logout"));

        Response logout = browser.post("/logout", Map.of());
        assertEquals(303, logout.statusCode());
        assertEquals(location("/login"), logout.header("Location"));
        assertTrue(logout.header("Set-Cookie").contains("Max-Age=0"), logout.header("Set-Cookie"));
        browser.get("/providers").then().statusCode(303);
    }

    @Test
    void acceptsTheCsrfTokenAsAHeaderToo() {
        DashboardClient browser = DashboardClient.login();
        browser.request().header("X-CSRF-Token", browser.csrf()).post("/logout").then().statusCode(303);
    }

    @Test
    void aCsrfTokenOfAnotherSessionIsRejected() {
        DashboardClient one = DashboardClient.login();
        DashboardClient other = DashboardClient.login();
        one.postWithoutCsrf("/logout", Map.of("csrf", other.csrf())).then().statusCode(403);
    }

    @Test
    void theJsonApisKeepTheirBearerTokens() {
        DashboardClient browser = DashboardClient.login();
        browser.request().accept("application/json").get("/api/providers").then().statusCode(401)
                .body("error.code", equalTo("missing_token"));
        browser.request().get("/internal/snapshot").then().statusCode(401);
        TestApi.admin().get("/api/providers").then().statusCode(200);
        given().baseUri(ManagementInterface.url()).get("/q/health/live").then().statusCode(200);
    }

    @Test
    void unknownPagesAndMissingProvidersRenderAnErrorPageWithARequestId() {
        DashboardClient browser = DashboardClient.login();
        Response missing = browser.get("/providers/no-such-provider-x/edit");
        assertEquals(404, missing.statusCode());
        Document page = Jsoup.parse(missing.asString());
        assertTrue(page.selectFirst("#error-message").text().contains("no-such-provider-x"));
        assertFalse(page.selectFirst("#request-id").text().isBlank());
        assertFalse(missing.asString().contains("Exception"), missing.asString());
        browser.get("/providers/x/y/z").then().statusCode(404).contentType(containsString("text/html"))
                .body(not(containsString("at io.")));
        given().get("/api/providers/x").then().statusCode(401).contentType(containsString("json"))
                .body("error", not(nullValue()));
    }

    private static String location(String path) {
        return io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + path;
    }

    private static org.hamcrest.Matcher<String> endsWith(String suffix) {
        return org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.startsWith(io.restassured.RestAssured.baseURI),
                org.hamcrest.Matchers.endsWith(suffix));
    }

    private static void assertNull(Object value) {
        org.junit.jupiter.api.Assertions.assertNull(value);
    }
}
