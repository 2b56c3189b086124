package io.visca.gateway.kit.admin.json;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Decimals (prices, costs: {@code BigDecimal}) are written as plain decimals ({@code 0.0000001}), never {@code 1E-7},
 * in every answer of the admin APIs. A service adds customizers of its own for its own types.
 */
@Singleton
public class PlainDecimals implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    }
}
