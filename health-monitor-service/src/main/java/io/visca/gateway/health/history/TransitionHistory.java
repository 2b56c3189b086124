package io.visca.gateway.health.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.visca.gateway.health.config.HealthConfig;

/**
 * The recent transitions of every endpoint, for the dashboard's timeline, in memory only: it starts empty when the
 * monitor starts (nothing is made up for the time before). Bounded per endpoint by count
 * ({@code health.transitions.max-per-endpoint}) and age ({@code health.transitions.max-age}); an endpoint's history is
 * forgotten when the registry no longer has it (its provider deleted, or the endpoint removed). Thread-safe.
 */
@Singleton
public class TransitionHistory {

    /** Newest first; for equal instants by provider, then endpoint. */
    static final Comparator<HealthTransition> NEWEST_FIRST = Comparator.comparing(HealthTransition::at).reversed()
            .thenComparing(HealthTransition::provider).thenComparing(HealthTransition::endpoint);

    private final int maxPerEndpoint;
    private final Duration maxAge;
    private final Clock clock;
    private final Instant startedAt;
    /** Per endpoint key, oldest first. Guarded by {@code this}. */
    private final Map<String, Deque<HealthTransition>> byEndpoint = new HashMap<>();

    @Inject
    public TransitionHistory(HealthConfig config) {
        this(config.transitions().maxPerEndpoint(), config.transitions().maxAge(), Clock.systemUTC());
    }

    TransitionHistory(int maxPerEndpoint, Duration maxAge, Clock clock) {
        if (maxPerEndpoint < 1) {
            throw new IllegalArgumentException("health.transitions.max-per-endpoint must be at least 1");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("health.transitions.max-age must be positive");
        }
        this.maxPerEndpoint = maxPerEndpoint;
        this.maxAge = maxAge;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** Since when transitions are kept: the monitor's start (the history does not survive a restart). */
    public Instant startedAt() {
        return startedAt;
    }

    public Duration maxAge() {
        return maxAge;
    }

    public synchronized void record(HealthTransition transition) {
        Deque<HealthTransition> kept = byEndpoint.computeIfAbsent(transition.key(), k -> new ArrayDeque<>());
        kept.addLast(transition);
        while (kept.size() > maxPerEndpoint) {
            kept.removeFirst();
        }
        dropExpired(kept, clock.instant().minus(maxAge));
    }

    /** Forgets the history of every endpoint whose key ({@code provider/endpoint}) is not in {@code existing}. */
    public synchronized void retainOnly(Set<String> existing) {
        byEndpoint.keySet().retainAll(existing);
    }

    /**
     * The transitions of {@code provider} (null: of every provider) at or after {@code since} (null: all kept),
     * newest first, at most {@code limit}.
     */
    public List<HealthTransition> list(String provider, Instant since, int limit) {
        Instant oldest = clock.instant().minus(maxAge);
        List<HealthTransition> out = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Deque<HealthTransition>> it = byEndpoint.values().iterator(); it.hasNext();) {
                Deque<HealthTransition> kept = it.next();
                dropExpired(kept, oldest);
                if (kept.isEmpty()) {
                    it.remove();
                    continue;
                }
                if (provider != null && !provider.equals(kept.peekFirst().provider())) {
                    continue;
                }
                for (HealthTransition t : kept) {
                    if (since == null || !t.at().isBefore(since)) {
                        out.add(t);
                    }
                }
            }
        }
        out.sort(NEWEST_FIRST);
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    private static void dropExpired(Deque<HealthTransition> kept, Instant oldest) {
        while (!kept.isEmpty() && kept.peekFirst().at().isBefore(oldest)) {
            kept.removeFirst();
        }
    }
}
