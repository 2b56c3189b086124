package io.visca.gateway.router.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.visca.gateway.contracts.provider.EndpointConfig;

/**
 * With upstream details hidden, an endpoint whose id the registry derived from its base URL ({@code host[:port]},
 * {@code -2}, {@code -3} for repeats) is shown by its position; an id its operator gave is shown as it is.
 */
class EndpointLabelTests {

    @ParameterizedTest(name = "{0} at {1}, index {2} -> {3}")
    @CsvSource({ "127.0.0.1:8000,      http://127.0.0.1:8000/v1,   0, #1",
            "api.example.com,          https://api.example.com/v1, 1, #2",
            "api.example.com-2,        https://api.example.com/v1, 2, #3",
            "api.example.com,          https://API.Example.com,    0, #1",
            "eu-replica,               https://api.example.com/v1, 0, eu-replica",
            "gpu-a:8000,               http://gpu-b:8000,          0, gpu-a:8000",
            "api.example.com-beta,     https://api.example.com,    0, api.example.com-beta",
            "api.example.com:8443,     https://api.example.com,    0, api.example.com:8443" })
    void derivedIdsBecomePositionsAndGivenOnesStay(String id, String baseUrl, int index, String label) {
        assertEquals(label, ProviderRuntime.hiddenLabel(new EndpointConfig(id, baseUrl, 1), index));
    }
}
