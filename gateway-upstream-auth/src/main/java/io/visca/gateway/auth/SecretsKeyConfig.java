package io.visca.gateway.auth;

import java.util.Optional;

/**
 * Where a service finds the key that encrypts literal provider secrets at rest: the group {@code secrets} of the
 * registry's, router's and health monitor's configuration mappings ({@code registry.secrets.key-file}, ...), each
 * property read from the environment variable named below. {@link SecretKeys#load} checks it; an empty value counts as
 * unset.
 */
public interface SecretsKeyConfig {

    /** {@code GATEWAY_SECRETS_KEY}: the current key, base64 of 32 random bytes. */
    Optional<String> key();

    /** {@code GATEWAY_SECRETS_KEY_FILE}: a file holding the current key (base64), instead of {@link #key()}. */
    Optional<String> keyFile();

    /** {@code GATEWAY_SECRETS_PREVIOUS_KEYS}: earlier keys (base64, comma-separated), read only to re-encrypt. */
    Optional<String> previousKeys();

    /** {@code GATEWAY_SECRETS_PREVIOUS_KEYS_FILE}: a file holding earlier keys, separated by commas or lines. */
    Optional<String> previousKeysFile();

    /**
     * The fixed key of the dev and test profiles, used only when neither {@link #key()} nor {@link #keyFile()} is
     * set; never set in production, where a missing key stops the service.
     */
    Optional<String> devKey();
}
