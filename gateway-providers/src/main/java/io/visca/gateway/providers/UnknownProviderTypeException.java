package io.visca.gateway.providers;

import java.util.List;

/**
 * A provider {@code type} no {@link ProviderType} is registered for. Its message names the type and lists the known
 * ones, so it can be shown as it is.
 */
public final class UnknownProviderTypeException extends IllegalArgumentException {

    private final String type;

    public UnknownProviderTypeException(String type, List<String> known) {
        super("unknown type '" + type + "'; known types: " + String.join(", ", known));
        this.type = type;
    }

    public String type() {
        return type;
    }
}
