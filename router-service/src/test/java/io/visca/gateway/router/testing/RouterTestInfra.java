package io.visca.gateway.router.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * The one test resource of the router's tests (global, so every test class shares one Quarkus start): a real Kafka
 * broker and the real registry process.
 */
@QuarkusTestResource(value = RegistryServiceResource.class, restrictToAnnotatedClass = false)
public final class RouterTestInfra {

    private RouterTestInfra() {
    }
}
