package io.visca.gateway.snapshot;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/**
 * The settings of a service's registry group ({@code router.registry.*}, {@code health.registry.*}): its
 * {@code @ConfigMapping} group extends this, so every service has the same names and defaults under its own prefix.
 */
public interface SnapshotClientConfig {

    /** How often the snapshot is refetched even without a provider-changed event (a safety net; at least 1 s). */
    @WithDefault("PT30S")
    Duration refreshInterval();

    /** First delay between attempts while the registry does not answer; doubles up to {@link #maxBackoff()}. */
    @WithDefault("PT0.5S")
    Duration initialBackoff();

    @WithDefault("PT10S")
    Duration maxBackoff();
}
