package io.visca.gateway.registry.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.visca.gateway.contracts.WireNames;

/**
 * snake_case as the contracts define it ({@link WireNames}): {@code costPer1kInput} is {@code cost_per_1k_input}.
 * Set as {@code quarkus.jackson.property-naming-strategy} and as the OpenAPI document's naming strategy.
 */
public class WireNamingStrategy extends PropertyNamingStrategies.NamingBase {

    @Override
    public String translate(String propertyName) {
        return WireNames.snakeCase(propertyName);
    }
}
