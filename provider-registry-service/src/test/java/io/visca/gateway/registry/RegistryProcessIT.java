package io.visca.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.ServiceProcess;

/**
 * The registry as it runs in production, from its packaged jar ({@code -Dregistry.jar}) in a process of its own: the
 * database password has no default there.
 */
class RegistryProcessIT {

    @Test
    void refusesToStartWithoutADatabasePassword() throws Exception {
        Map<String, String> db = GatewayInfraResource.database("registry_it");
        ServiceProcess registry = new ServiceProcess("registry-no-db-password", ServiceProcess.jar("registry.jar"),
                Map.of("DB_URL", db.get("url"), "DB_USER", db.get("user"),
                        // empty, which overrides a DB_PASSWORD this JVM may have (an unset one fails the start too)
                        "DB_PASSWORD", "", "KAFKA_BOOTSTRAP_SERVERS", GatewayInfraResource.kafkaBootstrapServers(),
                        "GATEWAY_ADMIN_TOKEN", "it-admin-token", "GATEWAY_SERVICE_TOKEN", "it-service-token",
                        "PROVIDERS_DIR", ""));
        Files.deleteIfExists(registry.log());
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class, registry::start);
            assertTrue(refused.getMessage().contains("exited"), refused.getMessage());
            assertTrue(Files.readString(registry.log()).contains("registry.database.password is defined as the empty String"),
                    "the log names the empty password");
        } finally {
            registry.stop();
        }
    }
}
