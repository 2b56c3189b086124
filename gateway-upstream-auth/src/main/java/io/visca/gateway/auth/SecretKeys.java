package io.visca.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys a service holds for provider secrets at rest: the current one, which encrypts, and previous ones,
 * which only decrypt (so that values written before a rotation can be read and re-encrypted). A key is known by its
 * id, the first 8 hex digits of its SHA-256, which every encrypted value names. Nothing here prints a key.
 */
public final class SecretKeys {

    /** A key is base64 of this many random bytes (AES-256). */
    public static final int KEY_BYTES = 32;

    private static final String KEY = "GATEWAY_SECRETS_KEY";
    private static final String KEY_FILE = "GATEWAY_SECRETS_KEY_FILE";
    private static final String PREVIOUS = "GATEWAY_SECRETS_PREVIOUS_KEYS";
    private static final String PREVIOUS_FILE = "GATEWAY_SECRETS_PREVIOUS_KEYS_FILE";
    private static final String HOW = "base64 of " + KEY_BYTES + " random bytes, e.g. from "
            + "'head -c 32 /dev/urandom | base64'";

    private final String currentId;
    private final Map<String, SecretKey> byId;

    private SecretKeys(String currentId, Map<String, SecretKey> byId) {
        this.currentId = currentId;
        this.byId = Map.copyOf(byId);
    }

    /**
     * The keys a service's settings name. Blocking (key files are read): call it at start.
     *
     * @throws SecretKeysException when no key is set (outside dev and test), both the key and its file are set, a
     *         file cannot be read, or a key is not base64 of 32 bytes; the message never holds a key
     */
    public static SecretKeys load(SecretsKeyConfig config) {
        Optional<String> key = present(config.key());
        Optional<String> keyFile = present(config.keyFile());
        if (key.isPresent() && keyFile.isPresent()) {
            throw new SecretKeysException(KEY + " and " + KEY_FILE + " are both set; set only one of them");
        }
        String current;
        String currentSource;
        if (keyFile.isPresent()) {
            current = read(keyFile.get(), KEY_FILE).strip();
            currentSource = KEY_FILE + " (" + keyFile.get() + ")";
        } else if (key.isPresent()) {
            current = key.get().strip();
            currentSource = KEY;
        } else if (present(config.devKey()).isPresent()) {
            current = config.devKey().get().strip();
            currentSource = "the dev/test profile's secrets.dev-key";
        } else {
            throw new SecretKeysException(KEY + " (or " + KEY_FILE + ") must be set: the key that encrypts literal "
                    + "provider secrets at rest, " + HOW);
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String currentId = add(keys, decode(current, currentSource));
        List<String> previous = new ArrayList<>();
        present(config.previousKeys()).ifPresent(list -> split(list, PREVIOUS, previous));
        present(config.previousKeysFile())
                .ifPresent(file -> split(read(file, PREVIOUS_FILE), PREVIOUS_FILE + " (" + file + ")", previous));
        for (int i = 0; i < previous.size(); i += 2) {
            add(keys, decode(previous.get(i), previous.get(i + 1)));
        }
        return new SecretKeys(currentId, keys);
    }

    /** Keys given as they are: tests, and tools. The first is the current one. */
    public static SecretKeys of(byte[] current, byte[]... previous) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String currentId = add(keys, checked(current, "the current key"));
        for (byte[] key : previous) {
            add(keys, checked(key, "a previous key"));
        }
        return new SecretKeys(currentId, keys);
    }

    /** The id of the key that encrypts, e.g. {@code 1f0c9a3e}. */
    public String currentId() {
        return currentId;
    }

    /** Ids of every key held, the current one first. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        ids.add(currentId);
        byId.keySet().stream().filter(id -> !id.equals(currentId)).sorted().forEach(ids::add);
        return ids;
    }

    SecretKey current() {
        return byId.get(currentId);
    }

    /** The key of that id, or null when this service does not hold it. */
    SecretKey byId(String id) {
        return byId.get(id);
    }

    /** The id of a key: the first 8 hex digits of its SHA-256. */
    public static String idOf(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String add(Map<String, SecretKey> keys, byte[] key) {
        String id = idOf(key);
        SecretKey spec = new SecretKeySpec(key, "AES");
        SecretKey existing = keys.putIfAbsent(id, spec);
        if (existing != null && !MessageDigest.isEqual(existing.getEncoded(), key)) {
            throw new SecretKeysException("two different secrets keys have the same id " + id
                    + "; generate another key");
        }
        return id;
    }

    /** Appends each non-blank entry of a comma- or line-separated list, followed by where it was read. */
    private static void split(String list, String source, List<String> into) {
        String[] entries = list.split("[,\\s]+");
        int n = 0;
        for (String entry : entries) {
            if (!entry.isBlank()) {
                n++;
                into.add(entry);
                into.add(source + ", entry " + n);
            }
        }
    }

    private static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = (base64.indexOf('-') >= 0 || base64.indexOf('_') >= 0 ? Base64.getUrlDecoder()
                    : Base64.getDecoder()).decode(base64);
        } catch (IllegalArgumentException e) {
            // the decoder's message quotes the offending character: never repeated
            throw new SecretKeysException(source + " is not valid base64; a secrets key is " + HOW);
        }
        return checked(key, source);
    }

    private static byte[] checked(byte[] key, String source) {
        if (key.length != KEY_BYTES) {
            throw new SecretKeysException(source + " decodes to " + key.length + " bytes, not " + KEY_BYTES
                    + "; a secrets key is " + HOW);
        }
        return key;
    }

    private static String read(String file, String setting) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new SecretKeysException(setting + " names " + file + ", which cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static Optional<String> present(Optional<String> value) {
        return value.filter(v -> !v.isBlank());
    }

    @Override
    public String toString() {
        return "SecretKeys[current=" + currentId + ", held=" + ids() + "]";
    }
}
