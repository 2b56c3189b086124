package io.visca.gateway.billing.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import io.visca.gateway.billing.config.BillingConfig;

/**
 * The bearer tokens of the finance API: {@code GATEWAY_ADMIN_TOKEN} and, if set, {@code BILLING_API_TOKEN}. Held as
 * SHA-256 digests and compared with {@link MessageDigest#isEqual}, so neither their content nor their length leaks
 * through timing. Without either, the start fails.
 */
@ApplicationScoped
@Startup
public class ApiTokens {

    private final List<byte[]> digests = new ArrayList<>();

    ApiTokens(BillingConfig config) {
        add(config.adminToken());
        add(config.apiToken());
        if (digests.isEmpty()) {
            throw new IllegalStateException("GATEWAY_ADMIN_TOKEN (billing.admin-token) or BILLING_API_TOKEN "
                    + "(billing.api-token) must be set to a non-blank value");
        }
    }

    /** Whether {@code presented} is one of the tokens; every token is compared, whichever matches. */
    public boolean accepts(String presented) {
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] known : digests) {
            match |= MessageDigest.isEqual(digest, known);
        }
        return match;
    }

    private void add(Optional<String> token) {
        token.filter(t -> !t.isBlank()).ifPresent(t -> digests.add(sha256(t)));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
