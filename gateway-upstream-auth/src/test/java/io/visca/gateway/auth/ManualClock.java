package io.visca.gateway.auth;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A {@link System#nanoTime()} stand-in that moves only when told to; it starts far from zero, as the real one may. */
final class ManualClock implements LongSupplier {

    private volatile long nanos = Long.MAX_VALUE - Duration.ofHours(1).toNanos();

    @Override
    public long getAsLong() {
        return nanos;
    }

    void advance(Duration by) {
        nanos += by.toNanos();
    }
}
