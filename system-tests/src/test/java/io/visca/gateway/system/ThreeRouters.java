package io.visca.gateway.system;

import java.util.Map;
import java.util.UUID;

/**
 * One gateway of three routers with billing (as {@code ROUTER_REPLICAS=3 ./gateway.sh up} runs it), shared by the test
 * classes about several routers: starting its six processes takes longer than their tests. Stopped when the test JVM
 * exits (every process of it is). Every service has {@code API_KEY} set, for the providers the tests save.
 */
final class ThreeRouters {

    static final int ROUTERS = 3;
    private static GatewayStack stack;

    private ThreeRouters() {
    }

    static synchronized GatewayStack stack() {
        if (stack == null) {
            stack = GatewayStack.withBillingAndRouters(ROUTERS, "admin-" + UUID.randomUUID(),
                    "service-" + UUID.randomUUID(), Map.of("API_KEY", "sk-" + UUID.randomUUID()));
        }
        return stack;
    }
}
