package io.visca.gateway.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts literal provider secrets at rest (in the registry's database and in the snapshot the other services
 * fetch), with the JDK's AES-256-GCM: a random 12-byte IV per value, and as additional authenticated data the
 * provider's name and the field's path ({@code my-provider/auth.api_key}), so a value opens only for the provider and
 * field it was made for; moved elsewhere, it fails like a tampered one.
 * <p>
 * Stored form: {@code enc:v1:<key id>:<base64url(iv || ciphertext and tag)>}, the key id being
 * {@link SecretKeys#idOf the key's}. Thread-safe. Errors never hold a key or a plaintext.
 */
public final class SecretCipher {

    /** What every encrypted value starts with. */
    public static final String PREFIX = "enc:v1:";

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int ID_LENGTH = 8;

    private final SecretKeys keys;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(SecretKeys keys) {
        this.keys = keys;
    }

    public SecretKeys keys() {
        return keys;
    }

    /** Whether a stored value is in the encrypted form (whether or not it can be opened here). */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** The id of the key that sealed {@code value}, or null when it is not in the encrypted form. */
    public static String keyIdOf(String value) {
        if (!isSealed(value) || value.length() < PREFIX.length() + ID_LENGTH + 1
                || value.charAt(PREFIX.length() + ID_LENGTH) != ':') {
            return null;
        }
        return value.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
    }

    /** Whether {@code value} is encrypted under the current key (nothing to re-encrypt). */
    public boolean isCurrent(String value) {
        return keys.currentId().equals(keyIdOf(value));
    }

    /**
     * @param provider the provider's name, bound into the value
     * @param field where the value is written, e.g. {@code auth.api_key}, bound into the value
     * @return {@code plaintext} encrypted under the current key, in the stored form
     */
    public String seal(String provider, String field, String plaintext) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.current(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(provider, field));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
            return PREFIX + keys.currentId() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed in this JVM (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /**
     * @param provider the provider's name the value was sealed for
     * @param field the field the value was sealed for, e.g. {@code auth.api_key}
     * @param value a value in the stored form
     * @return the plaintext
     * @throws SecretDecryptionException naming the field (and the key id), never the value: the key is not held
     *         here, the value is malformed, or it was altered or sealed for another provider or field
     */
    public String open(String provider, String field, String value) {
        String keyId = keyIdOf(value);
        if (keyId == null) {
            throw new SecretDecryptionException(field, null, SecretDecryptionException.Problem.MALFORMED);
        }
        SecretKey key = keys.byId(keyId);
        if (key == null) {
            throw new SecretDecryptionException(field, keyId, SecretDecryptionException.Problem.UNKNOWN_KEY);
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(value.substring(PREFIX.length() + ID_LENGTH + 1));
        } catch (IllegalArgumentException e) {
            throw new SecretDecryptionException(field, keyId, SecretDecryptionException.Problem.MALFORMED);
        }
        if (bytes.length < IV_BYTES + TAG_BITS / 8) {
            throw new SecretDecryptionException(field, keyId, SecretDecryptionException.Problem.MALFORMED);
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            cipher.updateAAD(aad(provider, field));
            byte[] plain = cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretDecryptionException(field, keyId, SecretDecryptionException.Problem.NOT_AUTHENTIC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed in this JVM (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    private static byte[] aad(String provider, String field) {
        return (provider + "/" + field).getBytes(StandardCharsets.UTF_8);
    }
}
