package io.visca.gateway.health.probe;

/**
 * The outcome of one probe.
 *
 * @param httpStatus the answer's status, null when there was no HTTP answer
 * @param latencyMs from sending the request to the end of the answer (or to the failure)
 * @param reason what happened, written by the monitor (never an upstream body, never a secret)
 */
public record ProbeResult(boolean healthy, Integer httpStatus, long latencyMs, String reason) {
}
