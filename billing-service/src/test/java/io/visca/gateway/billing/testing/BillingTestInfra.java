package io.visca.gateway.billing.testing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.visca.gateway.infra.test.GatewayInfraResource;

/**
 * The real Kafka broker and PostgreSQL database every test of this module runs against, and the HTTP server that
 * receives the budget alert webhook. Declared once here: test resources are global, so all test classes share one
 * application start.
 */
@QuarkusTestResource(value = GatewayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "billing"))
@QuarkusTestResource(WebhookReceiverResource.class)
public final class BillingTestInfra {

    private BillingTestInfra() {
    }
}
