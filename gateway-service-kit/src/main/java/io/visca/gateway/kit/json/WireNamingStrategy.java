package io.visca.gateway.kit.json;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.visca.gateway.contracts.WireNames;

/**
 * snake_case as the contracts define it ({@link WireNames}): {@code costPer1kInput} is {@code cost_per_1k_input}.
 * Every service sets it as {@code quarkus.jackson.property-naming-strategy} (so the registry snapshot reads with every
 * field, and events and API answers use the same names everywhere), and the services with an OpenAPI document as its
 * naming strategy ({@code mp.openapi.extensions.smallrye.property-naming-strategy}).
 */
public class WireNamingStrategy extends PropertyNamingStrategies.NamingBase {

    @Override
    public String translate(String propertyName) {
        return WireNames.snakeCase(propertyName);
    }
}
