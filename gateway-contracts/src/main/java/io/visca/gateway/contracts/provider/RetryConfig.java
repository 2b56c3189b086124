package io.visca.gateway.contracts.provider;

/**
 * Retries on the same provider before the router falls back to the next candidate.
 *
 * @param maxRetries extra attempts after the first one (default 1)
 * @param backoffMs base delay of the exponential backoff with jitter
 */
public record RetryConfig(int maxRetries, int backoffMs) {

    public static RetryConfig defaults() {
        return new RetryConfig(1, 200);
    }
}
