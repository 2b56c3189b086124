package io.visca.gateway.router.adapter;

import static io.visca.gateway.router.error.Failure.Next.FINAL;
import static io.visca.gateway.router.error.Failure.Next.NEXT_PROVIDER;
import static io.visca.gateway.router.error.Failure.Next.RATE_LIMITED;
import static io.visca.gateway.router.error.Failure.Next.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vertx.core.MultiMap;
import io.visca.gateway.outbound.OutboundPolicy;
import io.visca.gateway.outbound.OutboundRefusedException;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.adapter.openai.OpenAiCompatibleAdapter;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.Failure.Next;
import io.visca.gateway.router.error.GatewayError;

/**
 * The one decision of whether a failure moves on to another attempt, as tables: every {@link Failure} with its
 * status, code and {@link Next}; every upstream HTTP status and every exception of a call without an answer with the
 * failure {@link UpstreamErrors} names and what routing then does.
 */
class RetryClassificationTests {

    private final UpstreamCall call = AdapterCallKit.call(new OpenAiCompatibleAdapter(),
            Setup.of("https://api.example.com/v1", "gpt-x"), Operation.CHAT,
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            MultiMap.caseInsensitiveMultiMap(), null);

    /** Every kind: status, code (null where each error carries its own), and what routing does next. */
    private static final Map<Failure, Object[]> TABLE = Map.ofEntries(
            Map.entry(Failure.BAD_REQUEST, new Object[] { 400, null, FINAL }),
            Map.entry(Failure.MODEL_NOT_FOUND, new Object[] { 404, "model_not_found", FINAL }),
            Map.entry(Failure.UNKNOWN_URL, new Object[] { 404, "unknown_url", FINAL }),
            Map.entry(Failure.INVALID_API_KEY, new Object[] { 401, "invalid_api_key", FINAL }),
            Map.entry(Failure.KEY_EXPIRED, new Object[] { 401, "key_expired", FINAL }),
            Map.entry(Failure.MODEL_NOT_ALLOWED, new Object[] { 403, "model_not_allowed", FINAL }),
            Map.entry(Failure.BUDGET_EXCEEDED, new Object[] { 429, "budget_exceeded", FINAL }),
            Map.entry(Failure.KEY_RATE_LIMITED, new Object[] { 429, "rate_limit_exceeded", FINAL }),
            Map.entry(Failure.QUOTA_UNAVAILABLE, new Object[] { 503, "quota_store_unavailable", FINAL }),
            Map.entry(Failure.REQUEST_TOO_LARGE, new Object[] { 413, "request_too_large", FINAL }),
            Map.entry(Failure.CLIENT_CLOSED, new Object[] { 499, "client_closed", FINAL }),
            Map.entry(Failure.INTERNAL_ERROR, new Object[] { 500, "internal_error", FINAL }),
            Map.entry(Failure.NO_AVAILABLE_PROVIDER, new Object[] { 503, "no_available_provider", FINAL }),
            Map.entry(Failure.GATEWAY_STARTING, new Object[] { 503, "gateway_starting", RETRY }),
            Map.entry(Failure.RATE_LIMIT_EXCEEDED, new Object[] { 429, "rate_limit_exceeded", RATE_LIMITED }),
            Map.entry(Failure.PROVIDER_MISCONFIGURED, new Object[] { 502, "provider_misconfigured", RETRY }),
            Map.entry(Failure.PROVIDER_RATE_LIMITED, new Object[] { 503, "provider_rate_limited", NEXT_PROVIDER }),
            Map.entry(Failure.NO_AVAILABLE_ENDPOINT, new Object[] { 503, "no_available_endpoint", NEXT_PROVIDER }),
            Map.entry(Failure.CIRCUIT_OPEN, new Object[] { 503, "circuit_open", NEXT_PROVIDER }),
            Map.entry(Failure.ENDPOINT_REFUSED, new Object[] { 502, "endpoint_refused_by_policy", NEXT_PROVIDER }),
            Map.entry(Failure.FOREIGN_URL, new Object[] { 502, "upstream_foreign_url", NEXT_PROVIDER }),
            Map.entry(Failure.CREDENTIALS_UNAVAILABLE, new Object[] { 502, "upstream_auth_failed", RETRY }),
            Map.entry(Failure.UPSTREAM_REJECTED_REQUEST, new Object[] { 400, "upstream_rejected_request", FINAL }),
            Map.entry(Failure.UPSTREAM_AUTH_REJECTED, new Object[] { 502, "upstream_auth_failed", FINAL }),
            Map.entry(Failure.UPSTREAM_NOT_FOUND, new Object[] { 502, "upstream_not_found", FINAL }),
            Map.entry(Failure.UPSTREAM_HTTP_STATUS, new Object[] { 502, null, FINAL }),
            Map.entry(Failure.UPSTREAM_SERVER_ERROR, new Object[] { 502, null, RETRY }),
            Map.entry(Failure.UPSTREAM_OVERLOADED, new Object[] { 502, "upstream_overloaded", RETRY }),
            Map.entry(Failure.UPSTREAM_TIMEOUT, new Object[] { 504, "upstream_timeout", RETRY }),
            Map.entry(Failure.UPSTREAM_UNREACHABLE, new Object[] { 502, "upstream_unreachable", RETRY }),
            Map.entry(Failure.UPSTREAM_TLS_ERROR, new Object[] { 502, "upstream_tls_error", RETRY }),
            Map.entry(Failure.UPSTREAM_CONNECTION_CLOSED, new Object[] { 502, "upstream_connection_closed", RETRY }),
            Map.entry(Failure.UPSTREAM_ERROR, new Object[] { 502, "upstream_error", RETRY }),
            Map.entry(Failure.UPSTREAM_FAILED, new Object[] { 502, "upstream_failed", RETRY }),
            Map.entry(Failure.UPSTREAM_EVENT_TOO_LARGE, new Object[] { 502, "upstream_event_too_large", RETRY }),
            Map.entry(Failure.UPSTREAM_BAD_RESPONSE, new Object[] { 502, "upstream_bad_response", RETRY }),
            Map.entry(Failure.TRANSFORM_FAILED, new Object[] { 502, "transform_failed", FINAL }),
            Map.entry(Failure.TRANSFORM_BOUND_EXCEEDED, new Object[] { 502, "transform_bound_exceeded", FINAL }),
            Map.entry(Failure.TRANSFORM_BUSY, new Object[] { 503, "transform_busy", RETRY }));

    @Test
    void everyKindOfFailureHasOneDecision() {
        assertEquals(EnumSet.allOf(Failure.class), EnumSet.copyOf(TABLE.keySet()), "a new kind needs its row here");
        TABLE.forEach((failure, row) -> {
            assertEquals(row[0], failure.status(), failure + " status");
            assertEquals(row[1], failure.code(), failure + " code");
            assertEquals(row[2], failure.next(), failure + " next");
            Next next = (Next) row[2];
            assertEquals(next != FINAL, failure.movesOn(), failure + " moves on");
            assertEquals(next == RETRY, failure.endpointFault(), failure + " counts against the endpoint");
            assertEquals(next == RETRY || next == RATE_LIMITED, failure.retryable(), failure + " retryable");
        });
    }

    @Test
    void onlyARateLimitOfAllThatMovesOnIsAClientFacing429() {
        Set<Failure> limits = EnumSet.noneOf(Failure.class);
        TABLE.keySet().stream().filter(f -> f.next() == RATE_LIMITED).forEach(limits::add);
        assertEquals(EnumSet.of(Failure.RATE_LIMIT_EXCEEDED), limits);
    }

    @ParameterizedTest(name = "upstream HTTP {0} (overloaded {1}) -> {2} {3}, {4}")
    @CsvSource({
            "400, false, UPSTREAM_REJECTED_REQUEST, upstream_rejected_request, FINAL",
            "422, false, UPSTREAM_REJECTED_REQUEST, upstream_rejected_request, FINAL",
            "413, false, REQUEST_TOO_LARGE, request_too_large, FINAL",
            "401, false, UPSTREAM_AUTH_REJECTED, upstream_auth_failed, FINAL",
            "403, false, UPSTREAM_AUTH_REJECTED, upstream_auth_failed, FINAL",
            "404, false, UPSTREAM_NOT_FOUND, upstream_not_found, FINAL",
            "409, false, UPSTREAM_HTTP_STATUS, upstream_http_409, FINAL",
            "302, false, UPSTREAM_HTTP_STATUS, upstream_http_302, FINAL",
            "429, false, RATE_LIMIT_EXCEEDED, rate_limit_exceeded, RATE_LIMITED",
            "408, false, UPSTREAM_TIMEOUT, upstream_timeout, RETRY",
            "504, false, UPSTREAM_TIMEOUT, upstream_timeout, RETRY",
            "500, false, UPSTREAM_SERVER_ERROR, upstream_http_500, RETRY",
            "502, false, UPSTREAM_SERVER_ERROR, upstream_http_502, RETRY",
            "503, false, UPSTREAM_SERVER_ERROR, upstream_http_503, RETRY",
            "529, true, UPSTREAM_OVERLOADED, upstream_overloaded, RETRY",
            "503, true, UPSTREAM_OVERLOADED, upstream_overloaded, RETRY",
            "400, true, UPSTREAM_OVERLOADED, upstream_overloaded, RETRY" })
    void anUpstreamStatusIsOneKindOfFailure(int status, boolean overloaded, Failure failure, String code, Next next) {
        GatewayError error = UpstreamErrors.fromStatus(call, status, MultiMap.caseInsensitiveMultiMap(), "no",
                overloaded);
        assertEquals(failure, error.failure());
        assertEquals(code, error.code());
        assertEquals(failure.status(), error.status());
        assertEquals(next, error.failure().next());
    }

    @Test
    void aCallWithoutAnAnswerIsOneKindOfFailure() throws Exception {
        OutboundRefusedException refused = OutboundPolicy.defaults().judge("meta.example",
                InetAddress.getByName("169.254.169.254"));
        Map<Throwable, Failure> table = Map.of(
                new TimeoutException("first byte"), Failure.UPSTREAM_TIMEOUT,
                new UnknownHostException("nowhere.invalid"), Failure.UPSTREAM_UNREACHABLE,
                new ConnectException("refused"), Failure.UPSTREAM_UNREACHABLE,
                new SSLHandshakeException("bad certificate"), Failure.UPSTREAM_TLS_ERROR,
                new IOException("reset"), Failure.UPSTREAM_CONNECTION_CLOSED,
                new IllegalStateException("anything else"), Failure.UPSTREAM_ERROR,
                refused, Failure.ENDPOINT_REFUSED);
        table.forEach((thrown, failure) -> assertEquals(failure, UpstreamErrors.fromException(call, thrown).failure(),
                thrown.getClass().getSimpleName()));
    }
}
