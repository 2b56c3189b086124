package io.visca.gateway.registry.dashboard;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.visca.gateway.registry.TestApi;

/**
 * Without REGISTRY_TRUSTED_PROXIES (the default) nobody's forwarded headers count: a client that claims https gets no
 * {@code Secure} cookie over plain http, and one that names other addresses in {@code X-Forwarded-For} is still
 * throttled as itself. (An own application, with a low limit. The throttle's counts are in the shared database
 * and would outlast the test by a minute, locking this JVM's address out of the next tests' logins: they are removed
 * after it.)
 */
@QuarkusTest
@TestProfile(UntrustedForwardedHeadersTests.NoTrustedProxy.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UntrustedForwardedHeadersTests {

    public static class NoTrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.dashboard.login-failures-per-minute", "3");
        }
    }

    @Test
    @Order(1)
    void aClientClaimingHttpsGetsNoSecureCookieOverPlainHttp() {
        Response login = given().redirects().follow(false).header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Ssl", "on").header("Forwarded", "for=198.51.100.20;proto=https")
                .formParam("token", TestApi.ADMIN_TOKEN).post("/login");
        assertEquals(303, login.statusCode(), login.asString());
        assertFalse(login.header("Set-Cookie").contains("Secure"), login.header("Set-Cookie"));
    }

    @Test
    @Order(2)
    void aClientNamingOtherAddressesInXForwardedForIsThrottledAsItself() {
        for (int i = 1; i <= 3; i++) {
            assertEquals(401, login("wrong-token", "203.0.113." + i).statusCode());
        }
        assertEquals(429, login("wrong-token", "203.0.113.4").statusCode());
        assertEquals(429, login(TestApi.ADMIN_TOKEN, "203.0.113.5").statusCode(), "even with the right token");
    }

    @AfterAll
    static void forgetTheLockedAddress() {
        Arc.container().instance(Pool.class).get().query("delete from dashboard_login_failure").executeAndAwait();
    }

    private static Response login(String token, String claimedClient) {
        return given().redirects().follow(false).header("X-Forwarded-For", claimedClient)
                .header("Forwarded", "for=" + claimedClient).formParam("token", token).post("/login");
    }
}
