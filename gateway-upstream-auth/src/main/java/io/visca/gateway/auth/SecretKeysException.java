package io.visca.gateway.auth;

/**
 * The secrets key settings are missing or wrong; the service refuses to start. The message names the setting and
 * what is wrong with it, never a key (nor a part of one).
 */
public final class SecretKeysException extends IllegalStateException {

    SecretKeysException(String message) {
        super(message);
    }
}
