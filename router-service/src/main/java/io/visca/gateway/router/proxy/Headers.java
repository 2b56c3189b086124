package io.visca.gateway.router.proxy;

import io.vertx.core.http.HttpHeaders;

/** The response headers the router sets; names pre-encoded once. */
public final class Headers {

    public static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
    /** The provider that served the request. */
    public static final CharSequence PROVIDER = HttpHeaders.createOptimized("x-visca-provider");
    /** The endpoint (replica) of that provider. */
    public static final CharSequence ENDPOINT = HttpHeaders.createOptimized("x-visca-endpoint");
    /** The model id that served the request, as clients name it. */
    public static final CharSequence MODEL = HttpHeaders.createOptimized("x-visca-model");
    /** The model id sent upstream, when the model maps to an {@code upstream_model} of another name. */
    public static final CharSequence UPSTREAM_MODEL = HttpHeaders.createOptimized("x-visca-upstream-model");
    /** How many upstream attempts the request took. */
    public static final CharSequence ATTEMPTS = HttpHeaders.createOptimized("x-visca-attempts");
    /**
     * The providers routing left out before any attempt, each with its first reason ({@code openai: no credentials
     * (OPENAI_API_KEY not set for the router); ...}); absent when none was.
     */
    public static final CharSequence SKIPPED = HttpHeaders.createOptimized("x-visca-skipped");
    /** The routing strategy the request was routed by. */
    public static final CharSequence STRATEGY = HttpHeaders.createOptimized("x-visca-strategy");
    /** The gateway's own time in milliseconds: total minus the upstream's part (up to the first byte, for streams). */
    public static final CharSequence OVERHEAD = HttpHeaders.createOptimized("x-visca-overhead-ms");
    /** Cost in USD of a non-streaming response, from the model's configured prices. */
    public static final CharSequence COST = HttpHeaders.createOptimized("x-visca-cost-usd");
    /** {@code true} when the upstream reported no usage and the tokens were estimated. */
    public static final CharSequence TOKENS_ESTIMATED = HttpHeaders.createOptimized("x-visca-tokens-estimated");

    /**
     * {@code fail-open} when the request was routed although no candidate had a healthy endpoint (the health verdicts
     * set aside, {@code router.routing.fail-open}); absent otherwise.
     */
    public static final CharSequence HEALTH = HttpHeaders.createOptimized("x-visca-health");
    static final CharSequence FAIL_OPEN = HttpHeaders.createOptimized("fail-open");

    static final CharSequence CONTENT_TYPE = HttpHeaders.CONTENT_TYPE;
    static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");

    private Headers() {
    }

    /** Nanoseconds as milliseconds with three decimals ({@code 0.213}). */
    static String millis(long nanos) {
        long micros = nanos / 1000;
        StringBuilder out = new StringBuilder(12).append(micros / 1000).append('.');
        long fraction = micros % 1000;
        if (fraction < 100) {
            out.append('0');
        }
        if (fraction < 10) {
            out.append('0');
        }
        return out.append(fraction).toString();
    }
}
