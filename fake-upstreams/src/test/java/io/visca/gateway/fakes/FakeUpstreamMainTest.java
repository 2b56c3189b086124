package io.visca.gateway.fakes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class FakeUpstreamMainTest {

    @Test
    void startsEachTypeWithItsBaseUrlConvention() {
        Map<String, String> suffixes = Map.of("openai", "/v1", "anthropic", "", "ollama", "", "tgi", "",
                "replicate", "/v1", "custom", "");
        suffixes.forEach((type, suffix) -> {
            try (FakeUpstream<?> server = FakeUpstreamMain.start(type, 0)) {
                assertEquals("http://127.0.0.1:" + server.port() + suffix, server.baseUrl(), type);
            }
        });
    }
}
