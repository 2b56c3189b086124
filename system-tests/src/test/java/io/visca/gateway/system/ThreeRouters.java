package io.visca.gateway.system;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * One gateway of three routers with billing (as {@code ROUTER_REPLICAS=3 ./gateway.sh up} runs it), shared by the test
 * classes about several routers: starting its six processes takes longer than their tests. Stopped when the test JVM
 * exits (every process of it is). Every service has {@code API_KEY} set, for the providers the tests save.
 * <p>
 * Billing's quota store runs on a short clock, so that {@link KeyGovernanceFailureTests} sees in seconds what takes
 * minutes with the defaults: leases last 10 s unless held on (60 s by default; a router holds a lease on every
 * second once it expires within 30 s, so here always), a dead router's leases are reclaimed 15 s after they expired
 * (15 min; still far longer than any request here lasts or any usage event takes to be billed), checked every second
 * (10 s).
 */
final class ThreeRouters {

    static final int ROUTERS = 3;
    /** Billing's {@code QUOTA_LEASE_TIME} and {@code QUOTA_RECLAIM_GRACE} in this stack. */
    static final Duration LEASE_TIME = Duration.ofSeconds(10);
    static final Duration RECLAIM_GRACE = Duration.ofSeconds(15);
    private static GatewayStack stack;

    private ThreeRouters() {
    }

    static synchronized GatewayStack stack() {
        if (stack == null) {
            stack = GatewayStack.withBillingAndRouters(ROUTERS, "admin-" + UUID.randomUUID(),
                    "service-" + UUID.randomUUID(), Map.of("API_KEY", "sk-" + UUID.randomUUID(),
                            "QUOTA_LEASE_TIME", LEASE_TIME.toSeconds() + "s",
                            "QUOTA_RECLAIM_GRACE", RECLAIM_GRACE.toSeconds() + "s", "QUOTA_RECLAIM_INTERVAL", "1s"));
        }
        return stack;
    }
}
