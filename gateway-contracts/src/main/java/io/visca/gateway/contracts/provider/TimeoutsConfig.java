package io.visca.gateway.contracts.provider;

/** Per-provider upstream timeouts in milliseconds; defaults are generous for self-hosted models. */
public record TimeoutsConfig(int connectMs, int firstByteMs, int totalMs) {

    public static TimeoutsConfig defaults() {
        return new TimeoutsConfig(5_000, 60_000, 600_000);
    }
}
