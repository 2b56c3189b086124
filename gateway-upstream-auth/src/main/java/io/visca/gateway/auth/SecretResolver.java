package io.visca.gateway.auth;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${NAME}} references in provider configs from the calling service's environment, at call time;
 * anything else (a literal, null) passes through unchanged. A resolved value is used for one call and never stored,
 * returned or logged.
 */
public final class SecretResolver {

    /** What a variable's name may look like inside {@code ${...}}. */
    public static final String NAME_SYNTAX = "[A-Za-z_][A-Za-z0-9_]*";

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(" + NAME_SYNTAX + ")}");

    private final UnaryOperator<String> environment;

    /** @param environment looks a variable up by name, null when it is not set; tests pass a map's {@code get} */
    public SecretResolver(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /** Reads this process's environment ({@link System#getenv(String)}). */
    public static SecretResolver fromEnvironment() {
        return new SecretResolver(System::getenv);
    }

    /** The variable's name when {@code value} is exactly one {@code ${NAME}} reference, null otherwise. */
    public static String referenceName(String value) {
        if (value == null || value.length() < 4 || value.charAt(0) != '$') {
            return null;
        }
        Matcher reference = REFERENCE.matcher(value);
        return reference.matches() ? reference.group(1) : null;
    }

    /**
     * @param field where the value is written in the provider config, e.g. {@code auth.api_key}, for the error
     * @param value a {@code ${NAME}} reference, a literal, or null
     * @return the variable's value for a reference, else {@code value} itself
     * @throws MissingSecretException naming the field and the variable (never a value) when it is not set or empty
     */
    public String resolve(String field, String value) {
        String variable = referenceName(value);
        if (variable == null) {
            return value;
        }
        String resolved = environment.apply(variable);
        if (resolved == null || resolved.isEmpty()) {
            throw new MissingSecretException(field, variable);
        }
        return resolved;
    }
}
