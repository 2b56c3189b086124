package io.visca.gateway.health.probe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The health monitor's Prometheus metrics ({@code /q/metrics}), labelled by provider and endpoint (names from the
 * registry, never from a request):
 * <ul>
 * <li>{@code visca_gateway_endpoint_up}: 1 UP, 0 DOWN, -1 not determined yet; gone when the endpoint is no longer
 * probed;</li>
 * <li>{@code visca_gateway_health_probes_total{result="healthy|unhealthy"}};</li>
 * <li>{@code visca_gateway_health_probe_duration_seconds}: each probe's latency.</li>
 * </ul>
 */
@Singleton
public class HealthMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> status = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    public HealthMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private static Tags tags(ProbeTarget target) {
        return Tags.of("provider", target.provider(), "endpoint", target.endpoint());
    }

    /** A probe finished and the endpoint's status is now {@code currentStatus}. */
    public void probed(ProbeTarget target, ProbeResult result, String currentStatus) {
        Counter.builder("visca_gateway_health_probes_total").description("Health probes, by result")
                .tags(tags(target)).tag("result", result.healthy() ? "healthy" : "unhealthy").register(registry)
                .increment();
        Timer.builder("visca_gateway_health_probe_duration_seconds").description("Latency of each health probe")
                .tags(tags(target)).register(registry).record(Duration.ofMillis(Math.max(0, result.latencyMs())));
        status(target, currentStatus);
    }

    /** The endpoint is probed (again): its status gauge exists from now on. */
    public void status(ProbeTarget target, String currentStatus) {
        AtomicInteger value = status.computeIfAbsent(target.key(), key -> {
            AtomicInteger holder = new AtomicInteger(-1);
            gauges.put(key, Gauge.builder("visca_gateway_endpoint_up", holder, AtomicInteger::get)
                    .description("1 when the endpoint is UP, 0 when DOWN, -1 before its first status")
                    .tags(tags(target)).register(registry));
            return holder;
        });
        value.set(EndpointState.UP.equals(currentStatus) ? 1 : EndpointState.DOWN.equals(currentStatus) ? 0 : -1);
    }

    /** The endpoint is no longer probed: its status gauge goes. */
    public void removed(ProbeTarget target) {
        status.remove(target.key());
        Gauge gauge = gauges.remove(target.key());
        if (gauge != null) {
            registry.remove(gauge);
        }
    }
}
