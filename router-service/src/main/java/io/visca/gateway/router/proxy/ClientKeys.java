package io.visca.gateway.router.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.contracts.provider.GatewayKey;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.routing.RoutingTable;

/**
 * Client authentication: {@code Authorization: Bearer <gateway key>}, checked against the SHA-256 hashes of the
 * active keys in the registry snapshot. The key itself is never stored or logged.
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
     * @throws GatewayError 503 before the first snapshot was loaded; 401 when the key is missing or unknown
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
        if (key != null) {
            return key;
        }
        key = table.key(sha256Hex(bearer));
        if (key == null) {
            throw GatewayError.unauthorized("Incorrect API key provided. Ask your gateway administrator for a key.");
        }
        table.rememberVerified(bearer, key);
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
