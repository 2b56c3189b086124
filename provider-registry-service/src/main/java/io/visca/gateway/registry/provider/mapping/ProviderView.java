package io.visca.gateway.registry.provider.mapping;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.visca.gateway.contracts.provider.ProviderConfig;

/**
 * A provider as {@code GET /api/providers} shows it: the (redacted) config, and read-only status fields the parser
 * ignores when the answer is sent back.
 *
 * @param credentials {@code ok}: every {@code ${NAME}} reference resolves in this registry (or the secrets are
 *        literals); {@code missing}: at least one does not (not set, or refused by the secret rules); {@code none}:
 *        the provider sends no credentials
 * @param missingSecrets the names of the references that do not resolve (names only, never values)
 * @param managed built in: seeded from the managed provider catalogue (and not re-created by hand since)
 */
public record ProviderView(@JsonUnwrapped ProviderConfig config, String credentials, List<String> missingSecrets,
        boolean managed) {

    public static final String OK = "ok";
    public static final String MISSING = "missing";
    public static final String NONE = "none";

    public boolean credentialsMissing() {
        return MISSING.equals(credentials);
    }

    /** Views by provider name, for the dashboard's list. */
    public record ByName(Map<String, ProviderView> views) {

        public ProviderView of(String provider) {
            return views.get(provider);
        }
    }
}
