package io.visca.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service's settings to a resolver, and which of its settings count as its own credentials. */
class SecretSettingsTests {

    @TempDir
    Path dir;

    @Test
    void ownCredentialsAreSettingsNamedLikeCredentialsButNotProviderKeys() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("router.registry.service-token", "svc-token-1");
        settings.put("quarkus.datasource.password", "db-password-1");
        settings.put("registry.secrets.encryption-key", "enc-key-1");
        settings.put("registry.admin-token", " ");
        settings.put("mp.messaging.outgoing.provider-changed.key.serializer", "org.StringSerializer");
        settings.put("router.max-request-bytes", "8388608");
        settings.put("quarkus.proxy.credentials-provider.password-key", "password");
        settings.put("quarkus.proxy.credentials-provider.username-key", "user");
        settings.put("quarkus.http.auth.session.encryption-key", "session-key-1");
        settings.put("GATEWAY_SECRETS_KEY", "aes-key-1");
        settings.put("GATEWAY_SERVICE_TOKEN", "svc-token-1");
        settings.put("DB_PASSWORD", "db-password-2");
        settings.put("OPENAI_API_KEY", "sk-provider");
        settings.put("openai.api.key", "sk-provider");
        settings.put("LEGACY_PASSWORD", "legacy");
        settings.put("%dev.router.registry.service-token", "dev-service-token");
        settings.put("GATEWAY_SECRETS_DIR", "/run/secrets");

        assertEquals(List.of("svc-token-1", "db-password-1", "enc-key-1", "session-key-1", "aes-key-1", "svc-token-1",
                "db-password-2"),
                SecretSettings.ownCredentials(settings.keySet(), settings::get));
    }

    @Test
    void buildsAResolverThatReadsFilesThenTheEnvironmentAndRefusesOwnCredentials() throws Exception {
        Files.writeString(dir.resolve("OPENAI_API_KEY"), "sk-file\n");
        Map<String, String> environment = Map.of("TGI_TOKEN", "hf-env", "OPENAI_API_KEY", "sk-env", "ALIAS_API_KEY",
                "svc-token-123", "TENANT", "acme");
        try (SecretResolver secrets = new SecretSettings(null, dir.toString(), true, Duration.ofMinutes(1))
                .resolver(List.of("svc-token-123"), environment::get)) {
            assertEquals("sk-file", secrets.resolve("auth.api_key", "${OPENAI_API_KEY}"));
            assertEquals("hf-env", secrets.resolve("auth.api_key", "${TGI_TOKEN}"));
            assertThrows(ForbiddenSecretException.class, () -> secrets.resolve("auth.api_key", "${ALIAS_API_KEY}"));
            assertThrows(ForbiddenSecretException.class, () -> secrets.resolve("auth.api_key", "${TENANT}"));
        }
        try (SecretResolver filesOnly = new SecretSettings("TENANT|.*_KEY", dir.toString(), false,
                Duration.ofMinutes(1)).resolver(List.of(), environment::get)) {
            assertEquals("sk-file", filesOnly.resolve("auth.api_key", "${OPENAI_API_KEY}"));
            assertThrows(MissingSecretException.class, () -> filesOnly.resolve("auth.api_key", "${TENANT}"),
                    "allowed, but the environment is not read");
        }
    }
}
