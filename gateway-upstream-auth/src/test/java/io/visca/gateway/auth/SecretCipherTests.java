package io.visca.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class SecretCipherTests {

    static final byte[] KEY_A = bytes(1);
    static final byte[] KEY_B = bytes(2);
    private static final String SECRET = "sk-live-Zq8vN3secretDoNotShow";

    private final SecretCipher cipher = new SecretCipher(SecretKeys.of(KEY_A));

    @Test
    void opensWhatItSealedForTheSameProviderAndField() {
        String sealed = cipher.seal("openai", "auth.api_key", SECRET);
        assertEquals(SECRET, cipher.open("openai", "auth.api_key", sealed));
        assertEquals("", cipher.open("p", "auth.password", cipher.seal("p", "auth.password", "")));
        assertEquals("pässwörd ✓", cipher.open("p", "auth.password", cipher.seal("p", "auth.password",
                "pässwörd ✓")));
    }

    @Test
    void storedFormNamesTheKeyAndHidesThePlaintext() {
        String sealed = cipher.seal("openai", "auth.api_key", SECRET);
        String id = SecretKeys.idOf(KEY_A);
        assertTrue(sealed.startsWith("enc:v1:" + id + ":"), sealed);
        assertTrue(id.matches("[0-9a-f]{8}"), id);
        String payload = sealed.substring(("enc:v1:" + id + ":").length());
        assertTrue(payload.matches("[A-Za-z0-9_-]+"), "base64url without padding: " + payload);
        // 12-byte IV + ciphertext (as long as the plaintext) + 16-byte tag
        assertEquals(12 + SECRET.length() + 16, Base64.getUrlDecoder().decode(payload).length);
        assertFalse(sealed.contains(SECRET));
        assertTrue(SecretCipher.isSealed(sealed));
        assertTrue(cipher.isCurrent(sealed));
        assertEquals(id, SecretCipher.keyIdOf(sealed));
    }

    @Test
    void sealsTheSameSecretDifferentlyEachTime() {
        assertNotEquals(cipher.seal("openai", "auth.api_key", SECRET), cipher.seal("openai", "auth.api_key", SECRET));
    }

    @Test
    void refusesAValueMovedToAnotherProviderOrField() {
        String sealed = cipher.seal("openai", "auth.api_key", SECRET);
        SecretDecryptionException otherProvider = assertThrows(SecretDecryptionException.class,
                () -> cipher.open("evil", "auth.api_key", sealed));
        assertEquals(SecretDecryptionException.Problem.NOT_AUTHENTIC, otherProvider.problem());
        assertEquals("auth.api_key", otherProvider.field());
        SecretDecryptionException otherField = assertThrows(SecretDecryptionException.class,
                () -> cipher.open("openai", "auth.client_secret", sealed));
        assertEquals(SecretDecryptionException.Problem.NOT_AUTHENTIC, otherField.problem());
    }

    @Test
    void refusesATamperedValueNamingTheFieldAndTheKeyNeverTheValue() {
        String sealed = cipher.seal("openai", "auth.api_key", SECRET);
        char last = sealed.charAt(sealed.length() - 2);
        String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A')
                + sealed.charAt(sealed.length() - 1);
        SecretDecryptionException e = assertThrows(SecretDecryptionException.class,
                () -> cipher.open("openai", "auth.api_key", tampered));
        assertEquals(SecretDecryptionException.Problem.NOT_AUTHENTIC, e.problem());
        assertTrue(e.getMessage().startsWith("auth.api_key cannot be decrypted with the secrets key"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET));
        assertFalse(e.getMessage().contains(tampered.substring(16)), "the value is not repeated");
    }

    @Test
    void refusesAValueSealedUnderAKeyItDoesNotHold() {
        String sealed = new SecretCipher(SecretKeys.of(KEY_B)).seal("openai", "auth.api_key", SECRET);
        SecretDecryptionException e = assertThrows(SecretDecryptionException.class,
                () -> cipher.open("openai", "auth.api_key", sealed));
        assertEquals(SecretDecryptionException.Problem.UNKNOWN_KEY, e.problem());
        assertEquals(SecretKeys.idOf(KEY_B), e.keyId());
        assertTrue(e.getMessage().contains("secrets key " + SecretKeys.idOf(KEY_B)), e.getMessage());
    }

    @Test
    void opensValuesOfAPreviousKeyAndSealsUnderTheCurrentOne() {
        String old = cipher.seal("openai", "auth.api_key", SECRET);
        SecretCipher rotated = new SecretCipher(SecretKeys.of(KEY_B, KEY_A));
        assertFalse(rotated.isCurrent(old));
        assertEquals(SECRET, rotated.open("openai", "auth.api_key", old));
        String resealed = rotated.seal("openai", "auth.api_key", SECRET);
        assertTrue(rotated.isCurrent(resealed));
        assertEquals(SecretKeys.idOf(KEY_B), SecretCipher.keyIdOf(resealed));
        assertThrows(SecretDecryptionException.class, () -> cipher.open("openai", "auth.api_key", resealed));
    }

    @Test
    void refusesMalformedValues() {
        String id = SecretKeys.idOf(KEY_A);
        for (String bad : new String[] { "enc:v1:", "enc:v1:short", "enc:v1:" + id + ":", "enc:v1:" + id + ":!!!",
                "enc:v1:" + id + ":AAAA", "enc:v1:" + id + "-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }) {
            SecretDecryptionException e = assertThrows(SecretDecryptionException.class,
                    () -> cipher.open("p", "auth.api_key", bad), bad);
            assertEquals(SecretDecryptionException.Problem.MALFORMED, e.problem(), bad);
        }
        assertNull(SecretCipher.keyIdOf("sk-plain"));
        assertFalse(SecretCipher.isSealed("${OPENAI_API_KEY}"));
        assertFalse(SecretCipher.isSealed(null));
    }

    static byte[] bytes(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i * 7);
        }
        return key;
    }
}
