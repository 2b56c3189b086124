package io.visca.gateway.health.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.visca.gateway.contracts.WireNames;

/**
 * snake_case as the contracts define it ({@link WireNames}): {@code costPer1kInput} is {@code cost_per_1k_input}.
 * Set as {@code quarkus.jackson.property-naming-strategy}, so the registry snapshot reads with every field and the
 * events and API answers use the same names as the other services.
 */
public class WireNamingStrategy extends PropertyNamingStrategies.NamingBase {

    @Override
    public String translate(String propertyName) {
        return WireNames.snakeCase(propertyName);
    }
}
