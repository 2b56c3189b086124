package io.visca.gateway.kit.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WireNamingStrategyTests {

    @ParameterizedTest
    @CsvSource({ "costPer1kInput, cost_per_1k_input", "costPer1kCachedInput, cost_per_1k_cached_input",
            "firstByteMs, first_byte_ms", "schemaVersion, schema_version", "name, name", "baseURL, base_url",
            "apiKey, api_key", "oauth2Token, oauth_2_token" })
    void writesSnakeCaseWithDigitGroupsApart(String java, String wire) {
        assertEquals(wire, new WireNamingStrategy().translate(java));
    }
}
