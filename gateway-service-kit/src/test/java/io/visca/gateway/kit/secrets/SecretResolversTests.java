package io.visca.gateway.kit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Which settings count as the service's own credentials, refused as values of secret references. */
class SecretResolversTests {

    @Test
    void theGatewaysOwnCredentialSettingsCountAndProviderKeysAndUnreadableOnesDoNot() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(Map.of(
                        "router.registry.service-token", "own-service-token",
                        "quarkus.datasource.password", "own-db-password",
                        "router.registry.url", "http://registry",
                        "openai.api.key", "provider-key",
                        "health.admin-token", "${NO_SUCH_SETTING}"), "test", 100))
                .build();
        assertEquals(List.of("own-db-password", "own-service-token"),
                SecretResolvers.ownCredentials(config).stream().sorted().toList());
    }
}
