package io.visca.gateway.registry.provider.mapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.visca.gateway.auth.SealedSecrets;
import io.visca.gateway.auth.SecretCipher;
import io.visca.gateway.auth.SecretDecryptionException;
import io.visca.gateway.auth.SecretField;
import io.visca.gateway.auth.SecretKeys;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.registry.config.RegistryConfig;

/**
 * Literal secrets ({@link SecretField}: {@code auth.api_key}, {@code auth.password}, {@code auth.client_secret}) are
 * stored, and sent in the snapshot, only encrypted ({@link SecretCipher}, key {@code GATEWAY_SECRETS_KEY}); the
 * registry opens them only to call upstreams itself (Test Connection). {@code ${NAME}} references and the admin API's
 * placeholder are not secrets and stay as written. Without a key the registry does not start.
 */
@ApplicationScoped
@Startup(Interceptor.Priority.PLATFORM_BEFORE) // before anything uses it: a missing key stops the start first thing
public class StoredSecrets {

    private static final Logger LOG = Logger.getLogger(StoredSecrets.class);

    private final SecretCipher cipher;

    StoredSecrets(RegistryConfig config) {
        this.cipher = new SecretCipher(SecretKeys.load(config.secrets()));
        LOG.infof("literal provider secrets are encrypted under secrets key %s (keys held: %s)",
                cipher.keys().currentId(), cipher.keys().ids());
    }

    public SecretCipher cipher() {
        return cipher;
    }

    /**
     * Encrypts every literal of a submitted document, whatever it looks like (a value shaped like {@code enc:v1:...}
     * is a literal too: what a client sends is never trusted as ciphertext). A literal equal to the one {@code stored}
     * holds for that field keeps the stored value, so sending the same document again changes nothing.
     *
     * @param stored the current document, or null for a create
     */
    public ProviderConfig sealSubmitted(ProviderConfig incoming, ProviderConfig stored) {
        AuthConfig auth = incoming.auth();
        if (auth == null) {
            return incoming;
        }
        String provider = stored == null ? incoming.name() : stored.name();
        for (SecretField field : SecretField.values()) {
            String value = field.get(auth);
            if (SecretValues.isLiteral(value)) {
                String previous = field.get(stored == null ? null : stored.auth());
                auth = field.with(auth, sameSecret(provider, field, previous, value) ? previous
                        : cipher.seal(provider, field.path(), value));
            }
        }
        return incoming.withAuth(auth);
    }

    /**
     * The document as it is written to the database: any literal still in clear (kept from a row written before
     * secrets were encrypted) is encrypted; encrypted values are left as they are.
     */
    public ProviderConfig sealInClear(ProviderConfig config) {
        AuthConfig auth = config.auth();
        if (auth == null) {
            return config;
        }
        AuthConfig sealed = auth;
        for (SecretField field : SecretField.values()) {
            String value = field.get(sealed);
            if (SecretValues.isLiteral(value) && !SecretCipher.isSealed(value)) {
                sealed = field.with(sealed, cipher.seal(config.name(), field.path(), value));
            }
        }
        return sealed == auth ? config : config.withAuth(sealed);
    }

    /** The stored document with its secrets opened, for a call of the registry's own (Test Connection). */
    public SealedSecrets.Opened open(ProviderConfig stored) {
        return SealedSecrets.open(cipher, stored);
    }

    /**
     * A stored document with every literal encrypted under the current key: values in clear (rows written before
     * secrets were encrypted) and values under a previous key are encrypted anew; a value that opens with no key held
     * is left as it is and named in {@link Resealed#unreadable()}.
     */
    public Resealed reseal(ProviderConfig stored) {
        AuthConfig auth = stored.auth();
        if (auth == null) {
            return new Resealed(stored, 0, 0, List.of());
        }
        int inClear = 0;
        int underPrevious = 0;
        List<String> unreadable = new ArrayList<>(0);
        for (SecretField field : SecretField.values()) {
            String value = field.get(auth);
            if (!SecretValues.isLiteral(value)) {
                continue;
            }
            if (!SecretCipher.isSealed(value)) {
                auth = field.with(auth, cipher.seal(stored.name(), field.path(), value));
                inClear++;
                continue;
            }
            try {
                String plaintext = cipher.open(stored.name(), field.path(), value);
                if (!cipher.isCurrent(value)) {
                    auth = field.with(auth, cipher.seal(stored.name(), field.path(), plaintext));
                    underPrevious++;
                }
            } catch (SecretDecryptionException e) {
                unreadable.add(stored.name() + ": " + e.getMessage());
            }
        }
        return new Resealed(inClear + underPrevious == 0 ? stored : stored.withAuth(auth), inClear, underPrevious,
                List.copyOf(unreadable));
    }

    /**
     * What {@link #reseal} made of a stored document.
     *
     * @param inClear values that were stored in clear
     * @param underPreviousKey values that were encrypted under a previous key
     * @param unreadable {@code provider: why} for each value no key held opens (never the value)
     */
    public record Resealed(ProviderConfig config, int inClear, int underPreviousKey, List<String> unreadable) {

        /** Whether the document must be written again. */
        public boolean changed() {
            return inClear + underPreviousKey > 0;
        }
    }

    /** Whether {@code stored} is the encrypted form of {@code plaintext} for this provider and field. */
    private boolean sameSecret(String provider, SecretField field, String stored, String plaintext) {
        if (!SecretCipher.isSealed(stored)) {
            return false;
        }
        try {
            return MessageDigest.isEqual(cipher.open(provider, field.path(), stored).getBytes(StandardCharsets.UTF_8),
                    plaintext.getBytes(StandardCharsets.UTF_8));
        } catch (SecretDecryptionException e) {
            return false;
        }
    }
}
