package io.visca.gateway.health.upstream;

/**
 * A probe that failed before or without an HTTP answer that could be judged: a missing secret, an OAuth2 token that
 * could not be had, or a network failure ({@link ProbeFailures}). Its message is the probe's reason, so it never
 * holds a secret.
 */
public final class ProbeFailure extends RuntimeException {

    public ProbeFailure(String reason) {
        super(reason, null, false, false);
    }
}
