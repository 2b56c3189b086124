package io.visca.gateway.health.history;

import java.time.Instant;

/**
 * One status change of an endpoint, as published on {@code provider-health-changed}: the first status it got after
 * the monitor started ({@code from} null) or a change between UP and DOWN.
 *
 * @param at when the deciding probe ended (the event's {@code checked_at})
 * @param endpoint the endpoint's id
 * @param baseUrl the endpoint's base URL when the change happened
 * @param reason what the deciding probe found (never a secret)
 */
public record HealthTransition(Instant at, String provider, String endpoint, String baseUrl, String from, String to,
        String reason) {

    /** The key of its endpoint, as on the topic: {@code provider/endpoint}. */
    public String key() {
        return provider + "/" + endpoint;
    }
}
