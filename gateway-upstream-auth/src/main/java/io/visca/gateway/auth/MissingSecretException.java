package io.visca.gateway.auth;

/**
 * A {@code ${NAME}} reference whose environment variable is not set (or is empty). It carries where the reference is
 * written and the variable's name, never a value.
 */
public final class MissingSecretException extends UpstreamAuthException {

    private final String field;
    private final String variable;

    public MissingSecretException(String field, String variable) {
        super(field + " references ${" + variable + "}, but environment variable " + variable + " is not set", null);
        this.field = field;
        this.variable = variable;
    }

    /** Where the reference is written in the provider config, e.g. {@code auth.api_key}. */
    public String field() {
        return field;
    }

    /** The environment variable's name, e.g. {@code OPENAI_API_KEY}. */
    public String variable() {
        return variable;
    }
}
