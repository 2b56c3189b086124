package io.visca.gateway.kit.admin.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens that open one realm of a service's API (e.g. the registry's admin API: {@code GATEWAY_ADMIN_TOKEN};
 * billing's: it or {@code BILLING_API_TOKEN}), held as SHA-256 digests and compared with {@link MessageDigest#isEqual},
 * every one of them whichever matches, so neither their content nor their length, nor which one matched, leaks through
 * timing. A blank or absent token is no token. Which tokens a service requires is its own rule ({@link #require}).
 */
public final class ApiTokens {

    private final List<byte[]> digests = new ArrayList<>();

    /** @param tokens the tokens; absent or blank ones are left out */
    @SafeVarargs
    public ApiTokens(Optional<String>... tokens) {
        for (Optional<String> token : tokens) {
            token.filter(t -> !t.isBlank()).ifPresent(t -> digests.add(sha256(t)));
        }
    }

    /** Whether {@code presented} is one of the tokens. */
    public boolean accepts(String presented) {
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] known : digests) {
            match |= MessageDigest.isEqual(digest, known);
        }
        return match;
    }

    /** Whether there is no token at all (nothing opens the realm). */
    public boolean isEmpty() {
        return digests.isEmpty();
    }

    /**
     * Fails the start when a required token is missing.
     *
     * @param name how the operator sets it, e.g. {@code GATEWAY_SERVICE_TOKEN (registry.service-token)}
     * @throws IllegalStateException when {@code value} is null or blank
     */
    public static void require(String name, String value) {
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
