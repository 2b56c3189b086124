package io.visca.gateway.router.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.contracts.provider.GatewayKey;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.routing.RoutingTable;

/**
 * Client authentication: {@code Authorization: Bearer <gateway key>}, checked against the SHA-256 hashes of the
 * active keys in the registry snapshot (and, during a rotation's grace, of the secret a key replaced), then the key's
 * expiry. The key itself is never stored or logged.
 */
public final class ClientKeys {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });

    private ClientKeys() {
    }

    /**
     * @param table the snapshot's table the request is served from
     * @throws GatewayError 503 before the first snapshot was loaded; 401 when the key is missing or unknown (or a
     *         rotated-away secret whose grace has ended), 401 {@code key_expired} when the key's expiry has passed
     */
    public static GatewayKey authenticate(HttpServerRequest request, RoutingTable table) {
        if (!table.loaded()) {
            throw GatewayError.starting();
        }
        String header = request.getHeader("authorization");
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw GatewayError.unauthorized("You didn't provide an API key. Send your gateway API key in the "
                    + "Authorization header as 'Bearer <key>'.");
        }
        String bearer = header.substring(7).trim();
        GatewayKey key = table.verifiedKey(bearer);
        if (key == null) {
            String hash = sha256Hex(bearer);
            key = table.key(hash);
            if (key != null) {
                table.rememberVerified(bearer, key);
            } else {
                // a secret replaced by a rotation is good until its grace ends (never cached: the grace ends mid-table)
                key = table.keyByPreviousSecret(hash);
                if (key == null || !Instant.now().isBefore(key.previousValidUntil())) {
                    throw GatewayError.unauthorized(
                            "Incorrect API key provided. Ask your gateway administrator for a key.");
                }
            }
        }
        if (key.expiresAt() != null && !Instant.now().isBefore(key.expiresAt())) {
            throw new GatewayError(Failure.KEY_EXPIRED, "This API key expired at " + key.expiresAt()
                    + ". Ask your gateway administrator for a new key or a later expiry.");
        }
        return key;
    }

    static String sha256Hex(String value) {
        byte[] digest = SHA256.get().digest(value.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            out[i * 2] = HEX[(digest[i] >> 4) & 0xf];
            out[i * 2 + 1] = HEX[digest[i] & 0xf];
        }
        return new String(out);
    }
}
