package io.visca.gateway.registry.provider.advice;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.visca.gateway.contracts.provider.ProviderConfig;

/**
 * The answer of a create or replace: the saved config as the API shows it (secrets redacted), plus
 * {@code warnings} when there is advice about it; without advice the answer is exactly the config.
 */
public final class SavedProvider {

    private final ProviderConfig provider;
    private final List<FieldWarning> warnings;

    public SavedProvider(ProviderConfig provider, List<FieldWarning> warnings) {
        this.provider = provider;
        this.warnings = List.copyOf(warnings);
    }

    @JsonUnwrapped
    public ProviderConfig getProvider() {
        return provider;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public List<FieldWarning> getWarnings() {
        return warnings;
    }
}
