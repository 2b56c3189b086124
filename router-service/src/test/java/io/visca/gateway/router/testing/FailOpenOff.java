package io.visca.gateway.router.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The router with failing open turned off ({@code ROUTER_ROUTING_FAIL_OPEN=false}): a request none of whose candidates
 * has a healthy endpoint is a 503 naming why. For the tests of that answer; the test classes sharing this profile run
 * on one Quarkus start.
 */
public class FailOpenOff implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("router.routing.fail-open", "false");
    }
}
