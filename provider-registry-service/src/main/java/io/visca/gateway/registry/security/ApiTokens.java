package io.visca.gateway.registry.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import io.visca.gateway.registry.config.RegistryConfig;

/**
 * The admin and service bearer tokens, held as SHA-256 digests and compared with {@link MessageDigest#isEqual}, so
 * neither their content nor their length leaks through timing. A blank token fails the start.
 */
@ApplicationScoped
@Startup
public class ApiTokens {

    private final byte[] adminDigest;
    private final byte[] serviceDigest;

    ApiTokens(RegistryConfig config) {
        requireToken("GATEWAY_ADMIN_TOKEN (registry.admin-token)", config.adminToken());
        requireToken("GATEWAY_SERVICE_TOKEN (registry.service-token)", config.serviceToken());
        this.adminDigest = sha256(config.adminToken());
        this.serviceDigest = sha256(config.serviceToken());
    }

    public boolean isAdmin(String presented) {
        return MessageDigest.isEqual(sha256(presented), adminDigest);
    }

    public boolean isService(String presented) {
        return MessageDigest.isEqual(sha256(presented), serviceDigest);
    }

    private static void requireToken(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " must be set to a non-blank value");
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
