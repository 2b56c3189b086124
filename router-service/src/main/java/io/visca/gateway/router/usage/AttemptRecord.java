package io.visca.gateway.router.usage;

/**
 * One attempt of a request on one endpoint, part of the request's record.
 *
 * @param httpStatus the upstream's status, 0 when none came (refused, timed out, circuit open, rate limited)
 * @param errorCode null for the attempt that served the request
 */
public record AttemptRecord(String provider, String endpoint, String model, int httpStatus, String errorCode,
        double latencyMs) {
}
