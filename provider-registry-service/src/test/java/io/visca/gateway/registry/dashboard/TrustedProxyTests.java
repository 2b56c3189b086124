package io.visca.gateway.registry.dashboard;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.visca.gateway.registry.TestApi;

/**
 * Behind a TLS-terminating proxy named in REGISTRY_TRUSTED_PROXIES (here the tests' own address), a login the proxy
 * received over https ({@code X-Forwarded-Proto}) gets a {@code Secure} session cookie, and the login throttle counts
 * the client the proxy names ({@code X-Forwarded-For}), not the proxy.
 */
@QuarkusTest
@TestProfile(TrustedProxyTests.BehindATrustedProxy.class)
class TrustedProxyTests {

    public static class BehindATrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("REGISTRY_TRUSTED_PROXIES", "127.0.0.1",
                    "registry.dashboard.login-failures-per-minute", "3");
        }
    }

    @Test
    void aLoginTheProxyReceivedOverHttpsGetsASecureCookieAndSoDoesItsLogout() {
        Response login = login(TestApi.ADMIN_TOKEN, "https", "198.51.100.10");
        assertEquals(303, login.statusCode(), login.asString());
        String setCookie = login.header("Set-Cookie");
        assertTrue(setCookie.startsWith("visca_session=") && setCookie.contains("Secure"), setCookie);

        DashboardClient browser = DashboardClient.withSession(login.getCookie("visca_session"));
        Response logout = browser.request().header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-For", "198.51.100.10").formParam("csrf", browser.csrf()).post("/logout");
        assertEquals(303, logout.statusCode(), logout.asString());
        String cleared = logout.header("Set-Cookie");
        assertTrue(cleared.contains("Max-Age=0") && cleared.contains("Secure"), cleared);
    }

    @Test
    void aLoginTheProxyReceivedOverPlainHttpGetsNoSecureCookie() {
        Response login = login(TestApi.ADMIN_TOKEN, "http", "198.51.100.11");
        assertEquals(303, login.statusCode(), login.asString());
        assertFalse(login.header("Set-Cookie").contains("Secure"), login.header("Set-Cookie"));
    }

    @Test
    void theLoginThrottleCountsTheClientTheProxyNames() {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, login("wrong-token", "https", "203.0.113.7").statusCode());
        }
        assertEquals(429, login("wrong-token", "https", "203.0.113.7").statusCode(), "that client is throttled");
        assertEquals(401, login("wrong-token", "https", "203.0.113.8").statusCode(),
                "another client behind the same proxy is not");
    }

    private static Response login(String token, String proto, String client) {
        return given().redirects().follow(false).header("X-Forwarded-Proto", proto)
                .header("X-Forwarded-For", client).formParam("token", token).post("/login");
    }
}
