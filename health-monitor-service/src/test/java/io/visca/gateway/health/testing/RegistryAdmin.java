package io.visca.gateway.health.testing;

import io.visca.gateway.infra.test.RegistryAdminClient;

/** The registry's admin API for the health monitor's tests. */
public final class RegistryAdmin {

    private static final RegistryAdminClient CLIENT = new RegistryAdminClient(() -> MonitorTestResource.registry()
            .url(), MonitorTestResource.ADMIN_TOKEN);

    private RegistryAdmin() {
    }

    /** Creates the provider, or replaces it when one of that name exists. */
    public static void putProvider(String json) {
        CLIENT.putProvider(json);
    }

    public static void deleteProvider(String name) {
        CLIENT.deleteProvider(name);
    }

    public static void setEnabled(String name, boolean enabled) {
        CLIENT.setEnabled(name, enabled);
    }
}
