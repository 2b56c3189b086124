package io.visca.gateway.registry.provider.mapping;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.visca.gateway.auth.SecretPolicy;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.registry.json.Violations;

/**
 * The save-time check of {@code ${NAME}} references: every field the services resolve ({@code auth.api_key},
 * {@code auth.username}, {@code auth.password}, {@code auth.client_id}, {@code auth.client_secret},
 * {@code request.headers.*}) may only name what the {@link SecretPolicy} allows: never the gateway's own settings, and
 * only names matching {@code GATEWAY_SECRET_NAMES}. By name only, so the answer does not depend on what is set in the
 * registry's environment (the services check values again when they resolve).
 */
public final class SecretReferences {

    private SecretReferences() {
    }

    /** Adds a violation, naming the field and the rule, for each reference {@code policy} refuses. */
    public static void check(ProviderConfig config, SecretPolicy policy, Violations violations) {
        resolvedFields(config).forEach((field, value) -> {
            String name = SecretValues.referenceName(value);
            String refusal = name == null ? null : policy.refusal(name);
            if (refusal != null) {
                violations.add(field, "references ${" + name + "}, which is refused: " + refusal);
            }
        });
    }

    /** The fields a service resolves {@code ${NAME}} in, by path, with their values (nulls left out). */
    public static Map<String, String> resolvedFields(ProviderConfig config) {
        Map<String, String> fields = new LinkedHashMap<>();
        AuthConfig auth = config.auth();
        if (auth != null) {
            put(fields, "auth.api_key", auth.apiKey());
            put(fields, "auth.username", auth.username());
            put(fields, "auth.password", auth.password());
            put(fields, "auth.client_id", auth.clientId());
            put(fields, "auth.client_secret", auth.clientSecret());
        }
        if (config.request() != null && config.request().headers() != null) {
            // by name: the stored map has no order, the violations have one
            new TreeMap<>(config.request().headers())
                    .forEach((name, value) -> put(fields, "request.headers." + name, value));
        }
        return fields;
    }

    private static void put(Map<String, String> fields, String field, String value) {
        if (value != null) {
            fields.put(field, value);
        }
    }
}
