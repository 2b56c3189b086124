package io.visca.gateway.contracts.event;

/** Kafka topic names; one topic per event type. */
public final class Topics {

    public static final String PROVIDER_CHANGED = "provider-changed";
    public static final String PROVIDER_HEALTH_CHANGED = "provider-health-changed";
    public static final String USAGE_RECORDED = "usage-recorded";

    private Topics() {
    }
}
