package io.visca.gateway.billing.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.visca.gateway.contracts.WireNames;

/**
 * snake_case as the contracts define it ({@link WireNames}): {@code costPer1kInput} is {@code cost_per_1k_input}.
 * Set as {@code quarkus.jackson.property-naming-strategy} (so usage-recorded events and the API read and write the
 * same names as every other service) and as the OpenAPI document's naming strategy.
 */
public class WireNamingStrategy extends PropertyNamingStrategies.NamingBase {

    @Override
    public String translate(String propertyName) {
        return WireNames.snakeCase(propertyName);
    }
}
