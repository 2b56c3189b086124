package io.visca.gateway.registry.provider.client;

import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import io.visca.gateway.registry.provider.mapping.SecretValues;

/**
 * Resolves {@code ${NAME}} references from this service's environment at call time; literals pass through. The
 * resolved value is used for one call and never stored, returned or logged.
 */
@ApplicationScoped
public class SecretResolver {

    private final UnaryOperator<String> environment;

    SecretResolver() {
        this(System::getenv);
    }

    SecretResolver(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /**
     * @param field where the value comes from, e.g. {@code auth.api_key}, for the error message
     * @throws ProbeFailure {@code missing_secret} naming the variable when it is not set
     */
    public String resolve(String value, String field) {
        String variable = SecretValues.referenceName(value);
        if (variable == null) {
            return value;
        }
        String resolved = environment.apply(variable);
        if (resolved == null || resolved.isEmpty()) {
            throw new ProbeFailure(ProbeFailure.MISSING_SECRET, null, field + " references ${" + variable
                    + "}, but environment variable " + variable + " is not set for provider-registry-service");
        }
        return resolved;
    }
}
