package io.visca.gateway.health.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * The one test resource of the monitor's tests (global, so every test class shares one Quarkus start): a real Kafka
 * broker, the real registry process, and the alert webhook receiver.
 */
@QuarkusTestResource(value = MonitorTestResource.class, restrictToAnnotatedClass = false)
public final class HealthTestInfra {

    private HealthTestInfra() {
    }
}
