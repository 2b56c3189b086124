package io.visca.gateway.router.routing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Failing open (Envoy's panic mode): when none of a request's candidate providers has a healthy endpoint, the
 * health verdicts are set aside and the request is routed over all their endpoints (its response says so with
 * {@code x-visca-health: fail-open}). A health check that is itself wrong (a path the server does not have) then costs
 * a warning instead of every request. {@code router.routing.fail-open=false} ({@code ROUTER_ROUTING_FAIL_OPEN})
 * answers 503 instead, as before.
 * <p>
 * Each request that fails open counts in {@code visca.gateway.routing.fail_open} (tag {@code model}: the model asked
 * for, a configured id or {@code auto}). The log says when a model starts failing open (WARN, with the providers and
 * why their endpoints are out) and when it routes normally again (INFO), once per change, never per request. Leaving
 * is noticed on the model's first request routed normally again.
 */
public final class FailOpen {

    private static final Logger LOG = Logger.getLogger(FailOpen.class);

    private final boolean enabled;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** The models failing open now, each with the providers it fails open over (its last log line). */
    private final Map<String, String> failingOpen = new ConcurrentHashMap<>();

    public FailOpen(boolean enabled, MeterRegistry registry) {
        this.enabled = enabled;
        this.registry = registry;
    }

    /** Off: the planner answers 503 when no candidate has a healthy endpoint (tests of the filters). */
    public static FailOpen off() {
        return new FailOpen(false, new SimpleMeterRegistry());
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * A request for {@code model} fails open over {@code providers}: counted; logged (WARN) when the model was not
     * failing open, and (INFO) when it fails open over other providers than before.
     *
     * @param reasons why each provider's endpoints are out, as the 503 would have said
     */
    void entered(String model, List<String> providers, List<String> reasons) {
        counters.computeIfAbsent(model, m -> Counter.builder("visca.gateway.routing.fail_open")
                .description("Requests routed although no candidate had a healthy endpoint (x-visca-health: "
                        + "fail-open)")
                .tag("model", m).register(registry)).increment();
        String set = String.join(", ", providers);
        String before = failingOpen.put(model, set);
        if (before != null && !before.equals(set)) {
            // still failing open, over other providers (a request that found its last endpoints DOWN only when it
            // tried them fails open over its own provider): one warning per episode, the change at INFO
            LOG.infof("model '%s' now fails open over %s (was %s)", model, set, before);
        } else if (before == null) {
            LOG.warnf("model '%s' fails open: no candidate provider has a healthy endpoint (%s); its requests go to "
                    + "the endpoints of %s as if healthy, marked x-visca-health: fail-open, until one is healthy "
                    + "again (router.routing.fail-open=false answers 503 instead)", model, String.join("; ", reasons),
                    set);
        }
    }

    /** A request for {@code model} was routed normally: logged when the model was failing open. */
    void left(String model) {
        if (!failingOpen.isEmpty() && failingOpen.remove(model) != null) {
            LOG.infof("model '%s' no longer fails open: a candidate provider has a healthy endpoint again", model);
        }
    }
}
