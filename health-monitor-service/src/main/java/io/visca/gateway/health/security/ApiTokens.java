package io.visca.gateway.health.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens of the monitor's read API: {@code GATEWAY_SERVICE_TOKEN} (the services, e.g. the registry's
 * dashboard) and, if set, {@code GATEWAY_ADMIN_TOKEN} (operators, as billing's finance API accepts it). Held as SHA-256
 * digests and compared with {@link MessageDigest#isEqual}, every one of them whichever matches, so neither their
 * content nor their length, nor which one matched, leaks through timing.
 */
final class ApiTokens {

    private final List<byte[]> digests = new ArrayList<>();

    /**
     * @throws IllegalStateException when the service token is missing or blank (the admin token is optional)
     */
    ApiTokens(String serviceToken, Optional<String> adminToken) {
        if (serviceToken == null || serviceToken.isBlank()) {
            throw new IllegalStateException("GATEWAY_SERVICE_TOKEN (health.service-token) must be set to a non-blank "
                    + "value");
        }
        digests.add(sha256(serviceToken));
        adminToken.filter(token -> !token.isBlank()).ifPresent(token -> digests.add(sha256(token)));
    }

    /** Whether {@code presented} is one of the tokens. */
    boolean accepts(String presented) {
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] known : digests) {
            match |= MessageDigest.isEqual(digest, known);
        }
        return match;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
