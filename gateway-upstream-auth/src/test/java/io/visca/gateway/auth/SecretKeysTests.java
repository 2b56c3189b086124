package io.visca.gateway.auth;

import static io.visca.gateway.auth.SecretCipherTests.KEY_A;
import static io.visca.gateway.auth.SecretCipherTests.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeysTests {

    private static final String A = Base64.getEncoder().encodeToString(KEY_A);
    private static final String B = Base64.getEncoder().encodeToString(KEY_B);
    private static final byte[] KEY_C = SecretCipherTests.bytes(3);
    private static final String C = Base64.getUrlEncoder().withoutPadding().encodeToString(KEY_C);

    @TempDir
    Path dir;

    record Settings(Optional<String> key, Optional<String> keyFile, Optional<String> previousKeys,
            Optional<String> previousKeysFile, Optional<String> devKey) implements SecretsKeyConfig {

        static Settings key(String key) {
            return new Settings(Optional.ofNullable(key), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty());
        }

        Settings keyFile(Path file) {
            return new Settings(key, Optional.of(file.toString()), previousKeys, previousKeysFile, devKey);
        }

        Settings previous(String keys) {
            return new Settings(key, keyFile, Optional.of(keys), previousKeysFile, devKey);
        }

        Settings previousFile(Path file) {
            return new Settings(key, keyFile, previousKeys, Optional.of(file.toString()), devKey);
        }

        Settings dev(String key) {
            return new Settings(this.key, keyFile, previousKeys, previousKeysFile, Optional.of(key));
        }
    }

    @Test
    void readsTheKeyFromTheVariable() {
        SecretKeys keys = SecretKeys.load(Settings.key(A));
        assertEquals(SecretKeys.idOf(KEY_A), keys.currentId());
        assertEquals(List.of(SecretKeys.idOf(KEY_A)), keys.ids());
    }

    @Test
    void readsTheKeyFromAFileWithATrailingNewline() throws IOException {
        Path file = Files.writeString(dir.resolve("secrets-key"), A + "\n");
        assertEquals(SecretKeys.idOf(KEY_A), SecretKeys.load(Settings.key(null).keyFile(file)).currentId());
    }

    @Test
    void theKeyIdIsTheStartOfTheKeysSha256() {
        // sha256 of 32 zero bytes: 66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925
        assertEquals("66687aad", SecretKeys.idOf(new byte[32]));
    }

    @Test
    void readsPreviousKeysFromTheListAndTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("previous"), C + "\n\n" + A + "\n");
        SecretKeys keys = SecretKeys.load(Settings.key(B).previous(A + ", " + A).previousFile(file));
        assertEquals(SecretKeys.idOf(KEY_B), keys.currentId());
        assertEquals(3, keys.ids().size());
        assertTrue(keys.ids().containsAll(List.of(SecretKeys.idOf(KEY_A), SecretKeys.idOf(KEY_C))));
    }

    @Test
    void usesTheDevKeyOnlyWhenNoKeyIsSet() {
        assertEquals(SecretKeys.idOf(KEY_C), SecretKeys.load(Settings.key(null).dev(C)).currentId());
        assertEquals(SecretKeys.idOf(KEY_A), SecretKeys.load(Settings.key(A).dev(C)).currentId());
    }

    @Test
    void refusesToStartWithoutAKey() {
        SecretKeysException e = assertThrows(SecretKeysException.class,
                () -> SecretKeys.load(Settings.key(null)));
        assertTrue(e.getMessage().startsWith("GATEWAY_SECRETS_KEY (or GATEWAY_SECRETS_KEY_FILE) must be set"),
                e.getMessage());
        assertThrows(SecretKeysException.class, () -> SecretKeys.load(Settings.key("  ")));
    }

    @Test
    void refusesTheKeyAndItsFileTogether() throws IOException {
        Path file = Files.writeString(dir.resolve("k"), A);
        SecretKeysException e = assertThrows(SecretKeysException.class,
                () -> SecretKeys.load(Settings.key(B).keyFile(file)));
        assertTrue(e.getMessage().contains("both set"), e.getMessage());
    }

    @Test
    void refusesAKeyOfTheWrongLengthWithoutPrintingIt() {
        String short16 = Base64.getEncoder().encodeToString(new byte[] { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5,
                6 });
        SecretKeysException e = assertThrows(SecretKeysException.class, () -> SecretKeys.load(Settings.key(short16)));
        assertEquals("GATEWAY_SECRETS_KEY decodes to 16 bytes, not 32; a secrets key is base64 of 32 random bytes, "
                + "e.g. from 'head -c 32 /dev/urandom | base64'", e.getMessage());
        assertFalse(e.getMessage().contains(short16));
    }

    @Test
    void refusesAKeyThatIsNotBase64WithoutPrintingAnyOfIt() {
        String notBase64 = "my passphrase is hunter2!";
        SecretKeysException e = assertThrows(SecretKeysException.class,
                () -> SecretKeys.load(Settings.key(notBase64)));
        assertTrue(e.getMessage().startsWith("GATEWAY_SECRETS_KEY is not valid base64"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
        assertFalse(e.getMessage().contains("!"), "not even the offending character");
        SecretKeysException previous = assertThrows(SecretKeysException.class,
                () -> SecretKeys.load(Settings.key(A).previous(B + ",oops")));
        assertTrue(previous.getMessage().startsWith("GATEWAY_SECRETS_PREVIOUS_KEYS, entry 2 "),
                previous.getMessage());
    }

    @Test
    void refusesAKeyFileThatCannotBeRead() {
        Path missing = dir.resolve("nope");
        SecretKeysException e = assertThrows(SecretKeysException.class,
                () -> SecretKeys.load(Settings.key(null).keyFile(missing)));
        assertEquals("GATEWAY_SECRETS_KEY_FILE names " + missing + ", which cannot be read (NoSuchFileException)",
                e.getMessage());
    }

    @Test
    void neverShowsAKeyInItsDescription() {
        SecretKeys keys = SecretKeys.load(Settings.key(A).previous(B));
        assertFalse(keys.toString().contains(A));
        assertFalse(keys.toString().contains(B));
    }
}
