package io.visca.gateway.auth;

/**
 * An encrypted provider secret that this service cannot open. It names the field and the key id, never the value,
 * and says "the secrets key" so an operator knows where to look.
 */
public final class SecretDecryptionException extends UpstreamAuthException {

    /** Why the value does not open. */
    public enum Problem {
        /** Sealed under a key this service does not hold (neither the current nor a previous one). */
        UNKNOWN_KEY,
        /** The authentication tag does not match: altered, or sealed for another provider or field. */
        NOT_AUTHENTIC,
        /** Not the {@code enc:v1:<key id>:<base64url>} form. */
        MALFORMED
    }

    private final String field;
    private final String keyId;
    private final Problem problem;

    SecretDecryptionException(String field, String keyId, Problem problem) {
        super(message(field, keyId, problem), null);
        this.field = field;
        this.keyId = keyId;
        this.problem = problem;
    }

    /** Where the value is written in the provider config, e.g. {@code auth.api_key}. */
    public String field() {
        return field;
    }

    /** The id of the key the value names, null when it is malformed. */
    public String keyId() {
        return keyId;
    }

    public Problem problem() {
        return problem;
    }

    private static String message(String field, String keyId, Problem problem) {
        return switch (problem) {
            case UNKNOWN_KEY -> field + " cannot be decrypted: it was encrypted under secrets key " + keyId
                    + ", and neither the secrets key nor a previous key of this service has that id";
            case NOT_AUTHENTIC -> field + " cannot be decrypted with the secrets key (" + keyId
                    + "): the value was altered, or encrypted for another provider or field";
            case MALFORMED -> field + " cannot be decrypted with the secrets key: it is not a well-formed "
                    + SecretCipher.PREFIX + " value";
        };
    }
}
