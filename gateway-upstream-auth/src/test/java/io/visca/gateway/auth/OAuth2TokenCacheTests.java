package io.visca.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.visca.gateway.auth.TokenRequestException.Problem;
import io.visca.gateway.contracts.provider.AuthConfig;

/** The client-credentials token cache against an in-memory token endpoint and a clock that moves when told to. */
class OAuth2TokenCacheTests {

    private static final String URL = "https://login.example.com/oauth2/token";
    private static final Duration TIMEOUT = Duration.ofSeconds(7);

    private final FakeTokenEndpoint endpoint = new FakeTokenEndpoint();
    private final ManualClock clock = new ManualClock();
    private final OAuth2TokenCache tokens = new OAuth2TokenCache(endpoint,
            new SecretResolver(Map.of("CORP_CLIENT_ID", "corp client", "CORP_CLIENT_SECRET", "s3cr&t:42")::get),
            TIMEOUT, clock);

    private static AuthConfig oauth(String clientId, String clientSecret, String scope) {
        return new AuthConfig(AuthConfig.OAUTH2_CLIENT_CREDENTIALS, null, null, null, null, URL, clientId,
                clientSecret, scope);
    }

    private static final AuthConfig CORP = oauth("${CORP_CLIENT_ID}", "${CORP_CLIENT_SECRET}", "llm.invoke");

    @Test
    void asksForAClientCredentialsGrantWithBasicAuthAndTheScope() {
        assertEquals("tok-1", tokens.token(CORP).result());

        FakeTokenEndpoint.Request request = endpoint.requests().get(0);
        assertEquals(URL, request.url());
        assertEquals("grant_type=client_credentials&scope=llm.invoke", request.form());
        assertEquals("application/x-www-form-urlencoded", request.headers().get("content-type"));
        assertEquals("application/json", request.headers().get("accept"));
        String basic = request.headers().get("authorization");
        assertTrue(basic.startsWith("Basic "), basic);
        assertEquals("corp+client:s3cr%26t%3A42", new String(Base64.getDecoder().decode(basic.substring(6)),
                StandardCharsets.UTF_8), "id and secret form-encoded first (RFC 6749 section 2.3.1)");
        assertEquals(TIMEOUT, request.timeout());
    }

    @Test
    void leavesOutABlankScopeAndEncodesOthers() {
        tokens.token(oauth("a", "b", null));
        tokens.token(oauth("a", "b", " "));
        tokens.token(oauth("a", "b", "read write"));
        assertEquals(List.of("grant_type=client_credentials", "grant_type=client_credentials",
                "grant_type=client_credentials&scope=read+write"),
                endpoint.requests().stream().map(FakeTokenEndpoint.Request::form).toList());
    }

    @Test
    void reusesTheTokenUntilItIsTimeToRefresh() {
        for (int i = 0; i < 5; i++) {
            assertEquals("tok-1", tokens.token(CORP).result());
            clock.advance(Duration.ofMinutes(10));
        }
        assertEquals(1, endpoint.requests().size(), "one token for five calls within 50 of its 60 minutes");
    }

    @Test
    void keepsOneTokenPerTokenUrlClientAndScope() {
        assertEquals("tok-1", tokens.token(oauth("a", "b", "x")).result());
        assertEquals("tok-2", tokens.token(oauth("a", "b", "y")).result());
        assertEquals("tok-3", tokens.token(oauth("c", "b", "x")).result());
        assertEquals("tok-4", tokens.token(new AuthConfig(AuthConfig.OAUTH2_CLIENT_CREDENTIALS, null, null, null,
                null, URL + "/other", "a", "b", "x")).result());
        assertEquals("tok-1", tokens.token(oauth("a", "b", "x")).result());
        assertEquals(4, endpoint.requests().size());
    }

    @Test
    void concurrentCallersShareOneFetch() {
        Promise<TokenEndpoint.Reply> answer = endpoint.hold();
        Future<String> first = tokens.token(CORP);
        Future<String> second = tokens.token(CORP);
        Future<String> third = tokens.token(CORP);
        assertFalse(first.isComplete());
        assertEquals(1, endpoint.requests().size());

        answer.complete(endpoint.token());
        assertEquals(List.of("tok-1", "tok-1", "tok-1"), List.of(first.result(), second.result(), third.result()));
        assertEquals("tok-1", tokens.token(CORP).result());
        assertEquals(1, endpoint.requests().size());
    }

    @Test
    void manyThreadsAtOnceStartOneFetch() throws Exception {
        Promise<TokenEndpoint.Reply> answer = endpoint.hold();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<java.util.concurrent.Future<Future<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return tokens.token(CORP);
                }));
            }
            start.countDown();
            List<Future<String>> tokensAsked = new ArrayList<>();
            for (java.util.concurrent.Future<Future<String>> call : calls) {
                tokensAsked.add(call.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, endpoint.requests().size());
            answer.complete(endpoint.token());
            assertTrue(tokensAsked.stream().allMatch(token -> "tok-1".equals(token.result())));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refreshesInTheBackgroundAMinuteBeforeExpiry() {
        assertEquals("tok-1", tokens.token(CORP).result());
        clock.advance(Duration.ofMinutes(58));
        assertEquals("tok-1", tokens.token(CORP).result());
        assertEquals(1, endpoint.requests().size(), "not yet");

        clock.advance(Duration.ofSeconds(61));
        Promise<TokenEndpoint.Reply> refresh = endpoint.hold();
        assertEquals("tok-1", tokens.token(CORP).result(), "the current token while the refresh runs");
        assertEquals("tok-1", tokens.token(CORP).result());
        assertEquals(2, endpoint.requests().size(), "one refresh");

        refresh.complete(endpoint.token());
        assertEquals("tok-2", tokens.token(CORP).result());
        assertEquals(2, endpoint.requests().size());
    }

    @Test
    void refreshesAheadByATenthOfAShortLifetime() {
        endpoint.expiresIn(10);
        assertEquals("tok-1", tokens.token(CORP).result());
        clock.advance(Duration.ofMillis(8_900));
        assertEquals("tok-1", tokens.token(CORP).result());
        assertEquals(1, endpoint.requests().size());
        clock.advance(Duration.ofMillis(200));
        tokens.token(CORP);
        assertEquals(2, endpoint.requests().size(), "refreshed 1 s before the 10 s token expires");
    }

    @Test
    void anExpiredTokenIsNeverHandedOut() {
        endpoint.expiresIn(60);
        assertEquals("tok-1", tokens.token(CORP).result());
        clock.advance(Duration.ofSeconds(61));
        Promise<TokenEndpoint.Reply> renewal = endpoint.hold();
        Future<String> token = tokens.token(CORP);
        assertFalse(token.isComplete(), "waits for the new token");
        renewal.complete(endpoint.token());
        assertEquals("tok-2", token.result());
    }

    @Test
    void aFailedBackgroundRefreshKeepsTheCurrentTokenUntilItExpires() {
        assertEquals("tok-1", tokens.token(CORP).result());
        clock.advance(Duration.ofSeconds(3_550));
        endpoint.reply(503, "{\"error\":\"temporarily_unavailable\"}");
        assertEquals("tok-1", tokens.token(CORP).result(), "the refresh failed: still the current token");
        assertEquals("tok-1", tokens.token(CORP).result(), "this call refreshes again, and gets the current one");
        assertEquals("tok-2", tokens.token(CORP).result());
        assertEquals(3, endpoint.requests().size());
    }

    @Test
    void aRejectedTokenIsDropped() {
        assertEquals("tok-1", tokens.token(CORP).result());
        tokens.invalidate(CORP);
        assertEquals("tok-2", tokens.token(CORP).result());
        tokens.invalidate(oauth("never", "used", null));
        assertEquals("tok-2", tokens.token(CORP).result());
        assertEquals(2, endpoint.requests().size());
    }

    @Test
    void readsExpiresInAsANumberOrAStringAndDefaultsToAnHour() {
        endpoint.reply(200, "{\"access_token\":\"a\",\"expires_in\":\"120\"}");
        assertEquals("a", tokens.token(oauth("a", "b", null)).result());
        endpoint.reply(200, "{\"access_token\":\"b\"}");
        assertEquals("b", tokens.token(oauth("b", "b", null)).result());
        clock.advance(Duration.ofSeconds(121));
        assertEquals("tok-1", tokens.token(oauth("a", "b", null)).result(), "120 s were up");
        assertEquals("b", tokens.token(oauth("b", "b", null)).result(), "an hour is not");
    }

    @Test
    void aRefusalCarriesTheStatusAndTheErrorCodeButNoSecret() {
        endpoint.reply(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret s3cr&t:42\"}");
        TokenRequestException refused = failure(tokens.token(CORP));
        assertEquals(Problem.ERROR_STATUS, refused.problem());
        assertEquals(401, refused.status());
        assertEquals("invalid_client", refused.errorCode());
        assertEquals(URL, refused.tokenUrl());
        assertEquals("OAuth2 token request to " + URL + " answered HTTP 401 (invalid_client)", refused.getMessage());
    }

    @Test
    void anErrorCodeThatIsNotAWordIsNotRepeated() {
        endpoint.reply(400, "{\"error\":\"client s3cr&t:42 is wrong\"}");
        TokenRequestException refused = failure(tokens.token(CORP));
        assertNull(refused.errorCode());
        assertEquals("OAuth2 token request to " + URL + " answered HTTP 400", refused.getMessage());
        endpoint.reply(500, "<html>oops</html>");
        assertEquals("OAuth2 token request to " + URL + " answered HTTP 500", failure(tokens.token(CORP))
                .getMessage());
    }

    @Test
    void aSuccessThatIsNotJsonOrHasNoTokenIsAnError() {
        endpoint.reply(200, "<html>a login page</html>");
        TokenRequestException html = failure(tokens.token(CORP));
        assertEquals(Problem.NOT_JSON, html.problem());
        assertEquals(200, html.status());
        assertFalse(html.getMessage().contains("login page"), html.getMessage());

        for (String body : new String[] { "{\"token_type\":\"Bearer\"}", "{\"access_token\":\" \"}",
                "{\"access_token\":42}" }) {
            endpoint.reply(200, body);
            TokenRequestException empty = failure(tokens.token(CORP));
            assertEquals(Problem.NO_ACCESS_TOKEN, empty.problem(), body);
            assertEquals("OAuth2 token request to " + URL + " answered HTTP 200 without an access_token",
                    empty.getMessage());
        }
        for (String body : new String[] { "", "null", "[1]", null }) {
            endpoint.reply(200, body);
            assertEquals(Problem.NOT_JSON, failure(tokens.token(CORP)).problem(), String.valueOf(body));
        }
    }

    @Test
    void noAnswerIsUnreachableWithTheCause() {
        ConnectException refused = new ConnectException("Connection refused: login.example.com/10.0.0.9:443");
        endpoint.fail(refused);
        TokenRequestException unreachable = failure(tokens.token(CORP));
        assertEquals(Problem.UNREACHABLE, unreachable.problem());
        assertEquals(0, unreachable.status());
        assertSame(refused, unreachable.getCause());
        assertEquals("OAuth2 token request to " + URL + " failed: ConnectException (Connection refused: "
                + "login.example.com/10.0.0.9:443)", unreachable.getMessage());
    }

    @Test
    void anEndpointThatThrowsFailsTheTokenInsteadOfTheCaller() {
        OAuth2TokenCache throwing = new OAuth2TokenCache((url, headers, form, timeout) -> {
            throw new IllegalArgumentException("not an http(s) URL");
        }, new SecretResolver(name -> null), TIMEOUT, clock);
        TokenRequestException unreachable = failure(throwing.token(oauth("a", "b", null)));
        assertInstanceOf(IllegalArgumentException.class, unreachable.getCause());
    }

    @Test
    void aFailureIsNotCachedAndTheNextCallTriesAgain() {
        endpoint.reply(503, "{\"error\":\"temporarily_unavailable\"}");
        failure(tokens.token(CORP));
        assertEquals("tok-1", tokens.token(CORP).result());
        assertEquals(2, endpoint.requests().size());
    }

    @Test
    void aMissingClientSecretIsNamedAndNothingIsSent() {
        Future<String> token = tokens.token(oauth("${CORP_CLIENT_ID}", "${CORP_NOT_SET_SECRET}", null));
        MissingSecretException missing = assertInstanceOf(MissingSecretException.class, token.cause());
        assertEquals("auth.client_secret", missing.field());
        assertEquals("CORP_NOT_SET_SECRET", missing.variable());
        assertFalse(missing.getMessage().contains("corp client"), "no value of another variable either");
        assertEquals(List.of(), endpoint.requests());
        assertEquals("tok-1", tokens.token(CORP).result(), "the failed fetch left nothing behind");
    }

    private static TokenRequestException failure(Future<String> token) {
        assertTrue(token.failed(), "failed");
        TokenRequestException failure = assertInstanceOf(TokenRequestException.class, token.cause());
        assertFalse(failure.getMessage().contains("s3cr&t:42"), "no secret: " + failure.getMessage());
        assertFalse(failure.getMessage().contains("s3cr%26t"), "no secret: " + failure.getMessage());
        return failure;
    }
}
