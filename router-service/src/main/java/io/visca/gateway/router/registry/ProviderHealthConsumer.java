package io.visca.gateway.router.registry;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.contracts.event.ProviderHealthChanged;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.routing.LiveState;

/**
 * {@code provider-health-changed}: the health monitor's verdict on an endpoint, keyed {@code provider/endpoint}. The
 * topic is compacted and each router reads it from the beginning in a consumer group of its own, so it starts with
 * the current health of every endpoint; a DOWN endpoint leaves the rotation, an UP one comes back, a tombstone (the
 * endpoint was removed) forgets it.
 */
@ApplicationScoped
public class ProviderHealthConsumer {

    private static final Logger LOG = Logger.getLogger(ProviderHealthConsumer.class);

    private final LiveState live;
    private final HealthCatchUp catchUp;

    public ProviderHealthConsumer(LiveState live, HealthCatchUp catchUp) {
        this.live = live;
        this.catchUp = catchUp;
    }

    @Incoming("provider-health-changed")
    public void changed(ConsumerRecord<String, String> event) {
        try {
            apply(event);
        } finally {
            catchUp.read(event.topic(), event.partition(), event.offset());
        }
    }

    private void apply(ConsumerRecord<String, String> event) {
        String key = event.key();
        if (key == null) {
            return;
        }
        if (event.value() == null) {
            live.health(key, null, null);
            return;
        }
        try {
            JsonNode health = Json.read(event.value());
            boolean down = ProviderHealthChanged.DOWN.equals(health.path("status").asText());
            String reason = health.path("reason").isTextual() ? health.path("reason").asText() : null;
            live.health(key, down, reason);
            LOG.debugf("endpoint %s is %s", key, down ? "DOWN" : "UP");
        } catch (Exception e) {
            LOG.warnf("unreadable provider-health-changed event for %s ignored", key);
        }
    }
}
