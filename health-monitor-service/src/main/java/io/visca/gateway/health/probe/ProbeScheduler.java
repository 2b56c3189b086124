package io.visca.gateway.health.probe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.visca.gateway.contracts.event.ProviderHealthChanged;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.health.alert.AlertWebhook;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.health.events.HealthChangedPublisher;
import io.visca.gateway.health.events.HealthTopic;
import io.visca.gateway.health.events.PublishedHealth;
import io.visca.gateway.health.history.TransitionHistory;

/**
 * Probes the endpoints this instance holds, of every enabled provider whose {@code health_check.enabled} is true, each
 * on a Vert.x timer of its own every {@code interval_seconds} (a probe still running when the next is due is not
 * doubled). Each instance knows every provider; it holds the endpoints whose shard ({@link Shards}) the consumer group
 * assigned to it ({@link #assigned}), and takes each up where the topic says its last holder left it
 * ({@link PublishedHealth}), so a handover or a restart publishes no made-up status and misses no change. Each
 * transition is published and sent to the alert webhook. When a registry snapshot no longer asks for an endpoint
 * (provider disabled or deleted, endpoint removed, health checks off), its holder stops probing it and a tombstone
 * makes the compacted topic forget it.
 */
@Singleton
public class ProbeScheduler {

    private static final Logger LOG = Logger.getLogger(ProbeScheduler.class);

    private final HealthMetrics metrics;
    private final Vertx vertx;
    private final Prober prober;
    private final HealthChangedPublisher publisher;
    private final PublishedHealth published;
    private final AlertWebhook alerts;
    private final TransitionHistory history;
    private final int transitionsKept;
    /** Guarded by {@code this}, as is every decision to publish. */
    private final Map<String, Monitored> monitored = new LinkedHashMap<>();
    /** What the last snapshot asks to probe, in the registry's order; null before the first. Guarded by this. */
    private Map<String, ProbeTarget> wanted;
    /** The shards this instance probes, and those assigned but waiting for the topic to be read. Guarded by this. */
    private final Set<Integer> owned = new HashSet<>();
    private final Set<Integer> pending = new HashSet<>();
    /** The shard topic's partitions; 0 until the first assignment. Guarded by {@code this}. */
    private int shardCount;
    /** Keys this instance withdrew: probed again, they start afresh (the tombstone may not be read back yet). */
    private final Set<String> withdrawn = new HashSet<>();
    private volatile List<ProviderConfig> providers = List.of();
    private boolean stopped;

    /** One probed endpoint: its target and timer; a replaced or removed one is cancelled. */
    private static final class Monitored {
        final ProbeTarget target;
        final EndpointState state;
        long timer;
        boolean inFlight;
        volatile boolean cancelled;

        Monitored(ProbeTarget target, EndpointState state) {
            this.target = target;
            this.state = state;
        }
    }

    /**
     * An endpoint the registry asks to probe, with a consistent copy of its state.
     *
     * @param probedHere whether this instance probes it; if not, the state is what its holder last published
     */
    public record EndpointHealth(ProbeTarget target, EndpointState.Snapshot state, boolean probedHere) {
    }

    @Inject
    public ProbeScheduler(Vertx vertx, Prober prober, HealthChangedPublisher publisher, PublishedHealth published,
            AlertWebhook alerts, HealthConfig config, HealthMetrics metrics, TransitionHistory history) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.prober = prober;
        this.publisher = publisher;
        this.published = published;
        this.alerts = alerts;
        this.history = history;
        this.transitionsKept = config.transitionsKept();
    }

    /** Stops every probe (shutdown): nothing more is published. */
    public synchronized void stop(@Observes ShutdownEvent event) {
        stopped = true;
        monitored.values().forEach(this::cancel);
        monitored.clear();
    }

    /** Starts, restarts and stops probes so that exactly what these providers ask for is probed. */
    public void apply(Collection<ProviderConfig> next) {
        apply(next, Map.of());
    }

    /**
     * As {@link #apply(Collection)}; a provider named in {@code secretsProblems} (its secrets could not be decrypted)
     * is probed as usual, and each probe fails with that problem as its reason, sending nothing.
     */
    public synchronized void apply(Collection<ProviderConfig> next, Map<String, String> secretsProblems) {
        if (stopped) {
            return;
        }
        Map<String, ProbeTarget> asked = new LinkedHashMap<>();
        Map<String, String> existing = new HashMap<>();
        for (ProviderConfig provider : next) {
            for (EndpointConfig endpoint : provider.endpoints()) {
                ProbeTarget target = ProbeTarget.of(provider, endpoint);
                existing.putIfAbsent(target.key(), target.baseUrl());
            }
            if (!provider.enabled() || provider.healthCheck() == null || !provider.healthCheck().enabled()) {
                continue;
            }
            for (EndpointConfig endpoint : provider.endpoints()) {
                ProbeTarget target = ProbeTarget.of(provider, endpoint, secretsProblems.get(provider.name()));
                if (asked.putIfAbsent(target.key(), target) != null) {
                    LOG.warnf("provider '%s' has two endpoints with id '%s'; probing the first", provider.name(),
                            target.endpoint());
                }
            }
        }
        boolean first = wanted == null;
        wanted = asked;
        reconcile();
        if (first) {
            sweep(owned);
        }
        history.retainOnly(existing);
        providers = List.copyOf(next);
    }

    /**
     * The consumer group assigned these shards (of {@code partitions}) to this instance: their endpoints are probed
     * once the topic has been read up to now, so each resumes from the status its last holder published.
     */
    public void assigned(Collection<Integer> shards, int partitions) {
        Set<Integer> added = new HashSet<>(shards);
        synchronized (this) {
            if (partitions != shardCount) {
                shardCount = partitions;
                reconcile();
            }
            pending.addAll(added);
        }
        published.sync().thenRun(() -> ready(added));
    }

    private synchronized void ready(Set<Integer> shards) {
        Set<Integer> now = new HashSet<>(shards);
        now.retainAll(pending);
        if (now.isEmpty() || stopped) {
            return;
        }
        pending.removeAll(now);
        owned.addAll(now);
        reconcile();
        if (wanted != null) {
            sweep(now);
        }
        LOG.infof("probing the endpoints of shards %s of %d (%d endpoints probed here)", new TreeSet<>(now),
                shardCount, monitored.size());
    }

    /**
     * These shards went to another instance (or, {@code lost}, may have): their probes stop at once.
     *
     * @return whether a key belongs to one of them
     */
    public synchronized Predicate<String> revoked(Collection<Integer> shards, boolean lost) {
        pending.removeAll(shards);
        owned.removeAll(shards);
        reconcile();
        Set<Integer> gone = Set.copyOf(shards);
        int partitions = shardCount;
        LOG.infof("shards %s %s: their endpoints are no longer probed here", new TreeSet<>(gone),
                lost ? "lost" : "handed over");
        return key -> partitions > 0 && gone.contains(Shards.of(key, partitions));
    }

    /** The providers of the snapshot applied last, probed or not. */
    public List<ProviderConfig> providers() {
        return providers;
    }

    /**
     * Every endpoint the registry asks to probe, in its order: those probed here with their live state, the others
     * as their holder last published them.
     */
    public synchronized List<EndpointHealth> endpoints() {
        if (wanted == null) {
            return List.of();
        }
        List<EndpointHealth> out = new ArrayList<>(wanted.size());
        for (ProbeTarget target : wanted.values()) {
            Monitored m = monitored.get(target.key());
            out.add(m != null ? new EndpointHealth(m.target, m.state.snapshot(), true)
                    : new EndpointHealth(target, EndpointState.published(published.recent(target.key()),
                            target.successThreshold()), false));
        }
        return out;
    }

    /** Whether this instance probes the key's shard. */
    private boolean owns(String key) {
        return shardCount > 0 && owned.contains(Shards.of(key, shardCount));
    }

    /** Probes exactly the wanted endpoints of the shards held; withdraws those the registry no longer asks for. */
    private void reconcile() {
        if (stopped) {
            return;
        }
        Map<String, ProbeTarget> asked = wanted == null ? Map.of() : wanted;
        for (var it = monitored.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Monitored> entry = it.next();
            if (!asked.containsKey(entry.getKey())) {
                cancel(entry.getValue());
                it.remove();
                withdraw(entry.getKey());
                LOG.infof("%s is no longer probed (provider disabled or deleted, endpoint removed, or health checks "
                        + "off): its health is withdrawn", entry.getKey());
            } else if (!owns(entry.getKey())) {
                cancel(entry.getValue());
                it.remove();
            }
        }
        for (ProbeTarget target : asked.values()) {
            if (!owns(target.key())) {
                continue;
            }
            Monitored current = monitored.get(target.key());
            if (current != null && current.target.equals(target)) {
                continue;
            }
            EndpointState state;
            if (current == null) {
                state = new EndpointState(transitionsKept);
                if (!withdrawn.remove(target.key())) {
                    state.resume(published.recent(target.key()), target.successThreshold());
                }
                LOG.infof("probing %s: %s every %d s (status %s)", target.key(), target.describe(),
                        target.intervalSeconds(), state.status());
            } else {
                cancel(current);
                state = current.state;
                state.restartCounts();
                LOG.infof("probe of %s changed: %s every %d s", target.key(), target.describe(),
                        target.intervalSeconds());
            }
            Monitored started = new Monitored(target, state);
            monitored.put(target.key(), started);
            schedule(started);
        }
    }

    /**
     * Withdraws the health of each endpoint of these shards that the topic holds a status for and the registry does
     * not ask to probe (left by an earlier run, or by a holder that died before withdrawing it).
     */
    private void sweep(Set<Integer> shards) {
        if (shardCount == 0 || shards.isEmpty()) {
            return;
        }
        int swept = 0;
        for (String key : published.liveKeys()) {
            if (shards.contains(Shards.of(key, shardCount)) && !wanted.containsKey(key)
                    && !monitored.containsKey(key)) {
                withdraw(key);
                swept++;
            }
        }
        if (swept > 0) {
            LOG.infof("withdrew the health of %d endpoints no longer probed (left on %s earlier)", swept,
                    HealthTopic.TOPIC);
        }
    }

    private void withdraw(String key) {
        withdrawn.add(key);
        publisher.tombstone(key);
    }

    private void schedule(Monitored m) {
        metrics.status(m.target, m.state.status());
        long every = m.target.intervalSeconds() * 1000L;
        long first = 1 + ThreadLocalRandom.current().nextLong(Math.min(every, 500));
        m.timer = vertx.setPeriodic(first, every, id -> tick(m));
    }

    private void cancel(Monitored m) {
        m.cancelled = true;
        metrics.removed(m.target);
        vertx.cancelTimer(m.timer);
    }

    private void tick(Monitored m) {
        synchronized (m) {
            if (m.cancelled || m.inFlight) {
                return;
            }
            String notProbed = prober.notProbed(m.target);
            if (notProbed != null) {
                m.state.notProbed(notProbed, Instant.now());
                return;
            }
            m.inFlight = true;
        }
        Future<ProbeResult> probed;
        try {
            probed = prober.probe(m.target);
        } catch (RuntimeException e) {
            probed = Future.failedFuture(e);
        }
        probed.onComplete(done -> {
            synchronized (m) {
                m.inFlight = false;
            }
            ProbeResult result = done.succeeded() ? done.result()
                    : new ProbeResult(false, null, 0, m.target.describe() + ": the probe failed ("
                            + done.cause().getClass().getSimpleName() + ")");
            checked(m, result);
        });
    }

    private void checked(Monitored m, ProbeResult result) {
        ProviderHealthChanged event;
        synchronized (this) {
            if (m.cancelled) {
                return;
            }
            EndpointState.Transition transition = m.state.record(result, m.target.failureThreshold(),
                    m.target.successThreshold(), Instant.now());
            metrics.probed(m.target, result, m.state.status());
            if (transition == null) {
                return;
            }
            event = new ProviderHealthChanged(ProviderHealthChanged.SCHEMA_VERSION, UUID.randomUUID().toString(),
                    Instant.now(), m.target.provider(), m.target.endpoint(), transition.status(),
                    transition.previousStatus(), transition.reason(), transition.latencyMs(),
                    transition.consecutiveFailures(), transition.at());
            publisher.publish(event);
        }
        if (event.previousStatus() == null) {
            LOG.infof("%s is %s: %s", event.key(), event.status(), event.reason());
        } else {
            LOG.infof("%s is %s (was %s): %s", event.key(), event.status(), event.previousStatus(), event.reason());
        }
        alerts.send(event);
    }
}
