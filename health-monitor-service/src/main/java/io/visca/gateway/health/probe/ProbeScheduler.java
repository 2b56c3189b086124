package io.visca.gateway.health.probe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

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
import io.visca.gateway.health.history.HealthTransition;
import io.visca.gateway.health.history.TransitionHistory;

/**
 * Probes every endpoint of every enabled provider whose {@code health_check.enabled} is true, each on a Vert.x timer
 * of its own every {@code interval_seconds} (a probe still running when the next is due is not doubled). Each
 * transition, the first status determined since start included, is published and sent to the alert webhook. When a
 * registry snapshot no longer asks for an endpoint (provider disabled or deleted, endpoint removed, health checks
 * off), its probes stop and a tombstone makes the compacted topic forget it.
 */
@Singleton
public class ProbeScheduler {

    private static final Logger LOG = Logger.getLogger(ProbeScheduler.class);

    private final HealthMetrics metrics;
    private final Vertx vertx;
    private final Prober prober;
    private final HealthChangedPublisher publisher;
    private final AlertWebhook alerts;
    private final TransitionHistory history;
    private final int transitionsKept;
    /** Guarded by {@code this}, as is every decision to publish. */
    private final Map<String, Monitored> monitored = new LinkedHashMap<>();
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

    /** An endpoint probed now, with a consistent copy of its state. */
    public record EndpointHealth(ProbeTarget target, EndpointState.Snapshot state) {
    }

    @Inject
    public ProbeScheduler(Vertx vertx, Prober prober, HealthChangedPublisher publisher, AlertWebhook alerts,
            HealthConfig config, HealthMetrics metrics, TransitionHistory history) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.prober = prober;
        this.publisher = publisher;
        this.alerts = alerts;
        this.history = history;
        this.transitionsKept = config.transitionsKept();
    }

    void stop(@Observes ShutdownEvent event) {
        synchronized (this) {
            stopped = true;
            monitored.values().forEach(this::cancel);
        }
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
        Map<String, ProbeTarget> wanted = new LinkedHashMap<>();
        Set<String> existing = new HashSet<>();
        for (ProviderConfig provider : next) {
            for (EndpointConfig endpoint : provider.endpoints()) {
                existing.add(ProbeTarget.of(provider, endpoint).key());
            }
            if (!provider.enabled() || provider.healthCheck() == null || !provider.healthCheck().enabled()) {
                continue;
            }
            for (EndpointConfig endpoint : provider.endpoints()) {
                ProbeTarget target = ProbeTarget.of(provider, endpoint, secretsProblems.get(provider.name()));
                if (wanted.putIfAbsent(target.key(), target) != null) {
                    LOG.warnf("provider '%s' has two endpoints with id '%s'; probing the first", provider.name(),
                            target.endpoint());
                }
            }
        }
        for (var it = monitored.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Monitored> entry = it.next();
            if (!wanted.containsKey(entry.getKey())) {
                cancel(entry.getValue());
                it.remove();
                publisher.tombstone(entry.getKey());
                LOG.infof("%s is no longer probed (provider disabled or deleted, endpoint removed, or health checks "
                        + "off): its health is withdrawn", entry.getKey());
            }
        }
        for (ProbeTarget target : wanted.values()) {
            Monitored current = monitored.get(target.key());
            if (current != null && current.target.equals(target)) {
                continue;
            }
            EndpointState state;
            if (current == null) {
                state = new EndpointState(transitionsKept);
                LOG.infof("probing %s: %s every %d s", target.key(), target.describe(), target.intervalSeconds());
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
        history.retainOnly(existing);
        providers = List.copyOf(next);
    }

    /** The providers of the snapshot applied last, probed or not. */
    public List<ProviderConfig> providers() {
        return providers;
    }

    /** The endpoints probed now, in the registry's order. */
    public synchronized List<EndpointHealth> endpoints() {
        List<EndpointHealth> out = new ArrayList<>(monitored.size());
        monitored.values().forEach(m -> out.add(new EndpointHealth(m.target, m.state.snapshot())));
        return out;
    }

    /** Withdraws the health of each key that is not probed now (published by an earlier run, for instance). */
    public synchronized int withdrawUnlessProbed(Collection<String> keys) {
        int withdrawn = 0;
        for (String key : keys) {
            if (!monitored.containsKey(key)) {
                publisher.tombstone(key);
                withdrawn++;
            }
        }
        return withdrawn;
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
            history.record(new HealthTransition(transition.at(), m.target.provider(), m.target.endpoint(),
                    m.target.baseUrl(), transition.previousStatus(), transition.status(), transition.reason()));
        }
        if (event.previousStatus() == null) {
            LOG.infof("%s is %s: %s", event.key(), event.status(), event.reason());
        } else {
            LOG.infof("%s is %s (was %s): %s", event.key(), event.status(), event.previousStatus(), event.reason());
        }
        alerts.send(event);
    }
}
