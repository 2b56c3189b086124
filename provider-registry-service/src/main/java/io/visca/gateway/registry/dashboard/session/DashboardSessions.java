package io.visca.gateway.registry.dashboard.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.visca.gateway.registry.config.RegistryConfig;

/**
 * Stateless dashboard sessions. The cookie is {@code expiry.id.mac}: the expiry (epoch seconds), 16 random bytes
 * and an HMAC-SHA256 over both, with a key derived from the admin token. So a session survives a restart, is valid
 * on every registry instance, and changing the admin token logs everyone out; the token itself is never in the
 * cookie. The CSRF token of a session is an HMAC of its id under a second derived key. Every comparison is in
 * constant time. A logout is kept in PostgreSQL, for every instance ({@link LoggedOutSessions}); this class only
 * signs and checks.
 */
@ApplicationScoped
public class DashboardSessions {

    public static final String COOKIE = "visca_session";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] sessionKey;
    private final byte[] csrfKey;
    private final long ttlSeconds;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    @Inject
    DashboardSessions(RegistryConfig config) {
        this(config.adminToken(), config.dashboard().sessionTtl().toSeconds(), Clock.systemUTC());
    }

    DashboardSessions(String adminToken, long ttlSeconds, Clock clock) {
        byte[] secret = adminToken.getBytes(StandardCharsets.UTF_8);
        this.sessionKey = hmac(secret, "visca-dashboard-session-v1".getBytes(StandardCharsets.UTF_8));
        this.csrfKey = hmac(secret, "visca-dashboard-csrf-v1".getBytes(StandardCharsets.UTF_8));
        this.ttlSeconds = ttlSeconds;
        this.clock = clock;
    }

    /** A valid session. */
    public record Session(String id, long expiresAt) {
    }

    public long ttlSeconds() {
        return ttlSeconds;
    }

    /** A new session's cookie value. */
    public String issue() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        long expiry = clock.instant().getEpochSecond() + ttlSeconds;
        String payload = expiry + "." + B64.encodeToString(id);
        return payload + "." + B64.encodeToString(hmac(sessionKey, payload.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The session of a cookie value, or null when it is absent, forged or expired; whether it was logged out is
     * {@link LoggedOutSessions}' to say.
     */
    public Session verify(String cookie) {
        if (cookie == null || cookie.length() > 200) {
            return null;
        }
        int last = cookie.lastIndexOf('.');
        int first = cookie.indexOf('.');
        if (first <= 0 || last <= first) {
            return null;
        }
        String payload = cookie.substring(0, last);
        byte[] presented;
        try {
            presented = B64D.decode(cookie.substring(last + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!MessageDigest.isEqual(presented, hmac(sessionKey, payload.getBytes(StandardCharsets.UTF_8)))) {
            return null;
        }
        long expiry;
        try {
            expiry = Long.parseLong(payload.substring(0, first));
        } catch (NumberFormatException e) {
            return null;
        }
        String id = payload.substring(first + 1);
        if (expiry <= clock.instant().getEpochSecond()) {
            return null;
        }
        return new Session(id, expiry);
    }

    public String csrfToken(Session session) {
        return B64.encodeToString(hmac(csrfKey, session.id().getBytes(StandardCharsets.UTF_8)));
    }

    public boolean csrfValid(Session session, String presented) {
        if (session == null || presented == null || presented.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                csrfToken(session).getBytes(StandardCharsets.UTF_8));
    }

    public Instant now() {
        return clock.instant();
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

}
