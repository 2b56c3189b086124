package io.visca.gateway.auth;

/**
 * A {@code ${NAME}} reference this service refuses to resolve: the name is one of the gateway's own settings, does not
 * match the allowed names ({@link SecretPolicy}), or its value is one of the calling service's own credentials. It
 * carries where the reference is written, the variable's name and the rule it breaks, never a value; nothing is sent
 * with it.
 */
public final class ForbiddenSecretException extends UpstreamAuthException {

    /** Which rule the reference breaks. */
    public enum Rule {
        /** The name is reserved for the gateway's own settings and credentials (the hard deny). */
        RESERVED_NAME,
        /** The name does not match the allow pattern ({@code GATEWAY_SECRET_NAMES}). */
        NOT_ALLOWED,
        /** The variable's value is one of the calling service's own credentials (an alias of one). */
        SERVICE_CREDENTIAL
    }

    private final String field;
    private final String variable;
    private final Rule rule;

    /** @param reason the rule in words, e.g. {@link SecretPolicy#refusal(String)} */
    public ForbiddenSecretException(String field, String variable, Rule rule, String reason) {
        super(field + " references ${" + variable + "}, which is refused: " + reason, null);
        this.field = field;
        this.variable = variable;
        this.rule = rule;
    }

    /** A name refused by a {@link SecretPolicy}, for the {@code reason} it gave. */
    static ForbiddenSecretException byName(String field, String variable, String reason) {
        return new ForbiddenSecretException(field, variable,
                SecretPolicy.reserved(variable) ? Rule.RESERVED_NAME : Rule.NOT_ALLOWED, reason);
    }

    /** Where the reference is written in the provider config, e.g. {@code auth.api_key}. */
    public String field() {
        return field;
    }

    /** The variable's name, e.g. {@code GATEWAY_SERVICE_TOKEN}. */
    public String variable() {
        return variable;
    }

    public Rule rule() {
        return rule;
    }
}
