package io.visca.gateway.health.probe;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.visca.gateway.health.auth.ProbeCredentials;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.health.upstream.ProbeFailure;
import io.visca.gateway.health.upstream.ProbeHttp;

/**
 * Runs one probe: a GET of the target's URL with the provider's credentials, on the shared non-blocking client,
 * within the target's {@code timeout_seconds} (credentials, connection and the whole answer included), to the address
 * the outbound URL policy allows ({@link ProbeHttp#upstream}). The answer's body is read and dropped, never repeated.
 * Never fails: a failure is a {@link ProbeResult} whose reason says what happened.
 */
@Singleton
public class Prober {

    private final Vertx vertx;
    private final ProbeHttp http;
    private final ProbeCredentials credentials;
    private final String userAgent;

    @Inject
    public Prober(Vertx vertx, ProbeHttp http, ProbeCredentials credentials, HealthConfig config) {
        this.vertx = vertx;
        this.http = http;
        this.credentials = credentials;
        this.userAgent = config.probe().userAgent();
    }

    /**
     * Why the target is not probed now, or null: its type is unknown ({@link ProbeTarget#unknownType()}), or its
     * credentials are not provided ({@link ProbeCredentials#missing}).
     */
    public String notProbed(ProbeTarget target) {
        if (target.unknownType() != null) {
            return target.unknownType();
        }
        return target.problem() != null ? null : credentials.missing(target.auth());
    }

    public Future<ProbeResult> probe(ProbeTarget target) {
        long timeoutMs = target.timeoutSeconds() * 1000L;
        String call = target.describe();
        long started = System.nanoTime();
        Promise<ProbeResult> result = Promise.promise();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(timeoutMs, id -> {
            if (result.tryComplete(new ProbeResult(false, null, elapsedMs(started), call
                    + ": timeout: no answer within " + target.timeoutSeconds() + " s"))) {
                HttpClientRequest request = sent.get();
                if (request != null) {
                    request.reset();
                }
            }
        });
        Future<MultiMap> authenticated;
        try {
            authenticated = target.problem() != null
                    ? Future.failedFuture(new ProbeFailure(target.problem() + " (in the health monitor)"))
                    : credentials.headers(target.auth());
        } catch (RuntimeException e) {
            authenticated = Future.failedFuture(e);
        }
        authenticated.compose(headers -> {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(target.url())
                    .setConnectTimeout(timeoutMs).setFollowRedirects(false).setHeaders(headers)
                    .putHeader("user-agent", userAgent).putHeader("accept", "*/*");
            for (Map.Entry<String, String> header : target.headers().entrySet()) {
                options.putHeader(header.getKey(), header.getValue());
            }
            return http.upstream(options);
        }).compose(request -> {
            sent.set(request);
            if (result.future().isComplete()) {
                request.reset();
                return Future.failedFuture("timed out");
            }
            // end() in the callback the response arrives in (asked later, the response may have ended)
            return request.send().compose(response -> response.end().map(ignored -> response.statusCode()));
        }).onComplete(done -> {
            vertx.cancelTimer(timer);
            long latency = elapsedMs(started);
            if (done.succeeded()) {
                int status = done.result();
                if (status == 401 || status == 403) {
                    credentials.rejected(target.auth());
                }
                result.tryComplete(new ProbeResult(target.healthy(status), status, latency,
                        call + " answered HTTP " + status));
            } else {
                result.tryComplete(new ProbeResult(false, null, latency, ProbeFailures.reason(done.cause(), call)));
            }
        });
        return result.future();
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
