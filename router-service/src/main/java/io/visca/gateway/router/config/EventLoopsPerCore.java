package io.visca.gateway.router.config;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One Vert.x event loop per core for the router, instead of Quarkus's two per core. The router's work is all on
 * event loops; with more loops than cores, an upstream connection pooled on one loop often serves a request of
 * another, and every answer hops threads (measured in bench/: about 5 µs more CPU per request, and lower throughput).
 * A default only (ordinal 50, below application.properties): {@code QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE} overrides it.
 */
public class EventLoopsPerCore implements ConfigSource {

    static final String EVENT_LOOPS = "quarkus.vertx.event-loops-pool-size";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(EVENT_LOOPS);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(EVENT_LOOPS, getValue(EVENT_LOOPS));
    }

    @Override
    public String getValue(String propertyName) {
        return EVENT_LOOPS.equals(propertyName) ? Integer.toString(Runtime.getRuntime().availableProcessors())
                : null;
    }

    @Override
    public String getName() {
        return "router-event-loops-per-core";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
