package io.visca.gateway.router.testing;

import io.visca.gateway.infra.test.RegistryAdminClient;

/** The registry's admin API for the router's tests: providers, client keys, routing policies. */
public final class RegistryAdmin {

    private static final RegistryAdminClient CLIENT = new RegistryAdminClient(RegistryServiceResource::url,
            RegistryServiceResource.ADMIN_TOKEN);

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

    /** A new client key: {@code [id, key]}. */
    public static String[] createKey(String name) {
        return CLIENT.createKey(name);
    }

    public static void revokeKey(String id) {
        CLIENT.revokeKey(id);
    }

    /** Sets the default routing policy of {@code model} ({@code auto} included); a null policy removes it. */
    public static void setRouting(String model, String policyJson) {
        CLIENT.setRouting(model, policyJson);
    }
}
