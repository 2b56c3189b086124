package io.visca.gateway.health.auth;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.visca.gateway.health.probe.ProbeFailure;

/**
 * Resolves {@code ${NAME}} references in provider configs from the health monitor's environment, at probe time;
 * literals pass through. The value is used for one probe and never stored, returned or logged.
 */
public final class Secrets {

    private static final Pattern REFERENCE = Pattern.compile("^\\$\\{([A-Za-z_][A-Za-z0-9_]*)}$");

    private final UnaryOperator<String> environment;

    public Secrets(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    public static Secrets fromEnvironment() {
        return new Secrets(System::getenv);
    }

    /**
     * @param field where the value is written in the provider config, e.g. {@code auth.api_key}
     * @throws ProbeFailure naming the variable (never a value) when it is not set
     */
    public String resolve(String field, String value) {
        if (value == null || value.length() < 4 || value.charAt(0) != '$') {
            return value;
        }
        Matcher reference = REFERENCE.matcher(value);
        if (!reference.matches()) {
            return value;
        }
        String variable = reference.group(1);
        String resolved = environment.apply(variable);
        if (resolved == null || resolved.isEmpty()) {
            throw new ProbeFailure(field + " references ${" + variable + "}, but environment variable " + variable
                    + " is not set for the health monitor");
        }
        return resolved;
    }
}
