package io.visca.gateway.auth;

/**
 * A {@code ${NAME}} reference that no source of the calling service holds (the secret file is absent or empty, the
 * environment variable is not set or is empty, or is not read). It carries where the reference is written and the
 * variable's name, never a value.
 */
public final class MissingSecretException extends UpstreamAuthException {

    private final String field;
    private final String variable;

    /** Looked up in the environment only. */
    public MissingSecretException(String field, String variable) {
        this(field, variable, false, true);
    }

    /**
     * @param files whether a secrets directory was looked in
     * @param environment whether the environment was looked in
     */
    public MissingSecretException(String field, String variable, boolean files, boolean environment) {
        super(field + " references ${" + variable + "}, but " + where(variable, files, environment), null);
        this.field = field;
        this.variable = variable;
    }

    private static String where(String variable, boolean files, boolean environment) {
        if (files && environment) {
            return "neither secret file " + variable + " (GATEWAY_SECRETS_DIR) nor environment variable " + variable
                    + " is set";
        }
        if (!environment && !files) {
            return "this service reads no secrets (GATEWAY_SECRETS_FROM_ENV is false and GATEWAY_SECRETS_DIR not set)";
        }
        if (files) {
            return "secret file " + variable + " is not in GATEWAY_SECRETS_DIR (environment variables are not read)";
        }
        return "environment variable " + variable + " is not set";
    }

    /** Where the reference is written in the provider config, e.g. {@code auth.api_key}. */
    public String field() {
        return field;
    }

    /** The variable's name (of the secret file or environment variable), e.g. {@code OPENAI_API_KEY}. */
    public String variable() {
        return variable;
    }
}
