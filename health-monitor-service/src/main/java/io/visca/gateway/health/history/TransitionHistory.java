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

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.visca.gateway.health.config.HealthConfig;

/**
 * The recent transitions of every endpoint, for the dashboard's timeline: every transition on
 * {@code provider-health-changed}, whichever instance published it, as {@code PublishedHealth} reads the topic (from
 * its beginning at start, so the history survives a restart for as long as the topic keeps the events). Bounded per
 * endpoint by count ({@code health.transitions.max-per-endpoint}) and age ({@code health.transitions.max-age}); an
 * endpoint's history is forgotten when the registry no longer has it (its provider deleted, or the endpoint removed).
 * Thread-safe.
 */
@Singleton
public class TransitionHistory {

    /** Newest first; for equal instants by provider, then endpoint. */
    static final Comparator<HealthTransition> NEWEST_FIRST = Comparator.comparing(HealthTransition::at).reversed()
            .thenComparing(HealthTransition::provider).thenComparing(HealthTransition::endpoint);

    private final int maxPerEndpoint;
    private final Duration maxAge;
    private final Clock clock;
    private Instant startedAt;
    /** Per endpoint key, oldest first. Guarded by {@code this}. */
    private final Map<String, Deque<HealthTransition>> byEndpoint = new HashMap<>();
    /** The base URL of every endpoint the registry has; null until the first snapshot. Guarded by {@code this}. */
    private Map<String, String> endpoints;

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

    /** Since when transitions are kept: the monitor's start, or the oldest transition read back from the topic. */
    public synchronized Instant startedAt() {
        return startedAt;
    }

    public Duration maxAge() {
        return maxAge;
    }

    /** Keeps the transition; one without a base URL gets the endpoint's current one, when the registry has it. */
    public synchronized void record(HealthTransition transition) {
        if (transition.baseUrl() == null && endpoints != null && endpoints.containsKey(transition.key())) {
            transition = withBaseUrl(transition, endpoints.get(transition.key()));
        }
        if (transition.at().isBefore(startedAt)) {
            startedAt = transition.at();
        }
        Deque<HealthTransition> kept = byEndpoint.computeIfAbsent(transition.key(), k -> new ArrayDeque<>());
        kept.addLast(transition);
        while (kept.size() > maxPerEndpoint) {
            kept.removeFirst();
        }
        dropExpired(kept, clock.instant().minus(maxAge));
    }

    /**
     * The endpoints the registry has now, key ({@code provider/endpoint}) to base URL: the history of every other
     * endpoint is forgotten, and is not listed should a late event of it be read.
     */
    public synchronized void retainOnly(Map<String, String> existing) {
        endpoints = Map.copyOf(existing);
        byEndpoint.keySet().retainAll(existing.keySet());
    }

    /**
     * The transitions of {@code provider} (null: of every provider) at or after {@code since} (null: all kept),
     * newest first, at most {@code limit}.
     */
    public List<HealthTransition> list(String provider, Instant since, int limit) {
        Instant oldest = clock.instant().minus(maxAge);
        List<HealthTransition> out = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<String, Deque<HealthTransition>>> it = byEndpoint.entrySet().iterator(); it
                    .hasNext();) {
                Map.Entry<String, Deque<HealthTransition>> entry = it.next();
                Deque<HealthTransition> kept = entry.getValue();
                dropExpired(kept, oldest);
                if (kept.isEmpty()) {
                    it.remove();
                    continue;
                }
                if (provider != null && !provider.equals(kept.peekFirst().provider())
                        || endpoints != null && !endpoints.containsKey(entry.getKey())) {
                    continue;
                }
                String baseUrl = endpoints == null ? null : endpoints.get(entry.getKey());
                for (HealthTransition t : kept) {
                    if (since == null || !t.at().isBefore(since)) {
                        out.add(t.baseUrl() == null && baseUrl != null ? withBaseUrl(t, baseUrl) : t);
                    }
                }
            }
        }
        out.sort(NEWEST_FIRST);
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    private static HealthTransition withBaseUrl(HealthTransition t, String baseUrl) {
        return new HealthTransition(t.at(), t.provider(), t.endpoint(), baseUrl, t.from(), t.to(), t.reason());
    }

    private static void dropExpired(Deque<HealthTransition> kept, Instant oldest) {
        while (!kept.isEmpty() && kept.peekFirst().at().isBefore(oldest)) {
            kept.removeFirst();
        }
    }
}
