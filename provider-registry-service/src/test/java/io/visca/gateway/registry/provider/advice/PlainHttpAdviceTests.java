package io.visca.gateway.registry.provider.advice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.visca.gateway.registry.provider.mapping.ProviderDocument;
import io.visca.gateway.registry.provider.mapping.ProviderDocumentParser;

/** Which provider URLs get the "use HTTPS" advice: decided from the URL as written, no DNS. */
class PlainHttpAdviceTests {

    private final ProviderDocumentParser parser = new ProviderDocumentParser();

    @ParameterizedTest
    @ValueSource(strings = { "http://api.example.com/v1", "http://203.0.113.7:8000/v1", "http://8.8.8.8",
            "http://[2001:4860:4860::8888]/v1", "http://models.example.internal.com/v1", "HTTP://API.EXAMPLE.COM",
            "http://my-vllm.example.com/v1" })
    void advisesHttpsForPlainHttpToAPublicHost(String url) {
        assertTrue(PlainHttpAdvice.isPlainHttpToRemoteHost(url), url);
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://api.example.com/v1", "http://localhost:8000/v1", "http://LOCALHOST:11434",
            "http://127.0.0.1:8080/v1", "http://[::1]:1234/v1", "http://10.1.2.3/v1", "http://172.20.0.5:8000",
            "http://192.168.1.20:1234/v1", "http://100.64.0.9/v1", "http://[fd12:3456::1]/v1",
            "http://169.254.10.1/v1", "http://vllm:8000/v1", "http://tgi.internal:8080", "http://gpu-box.local:8000",
            "http://ollama.lan:11434", "http://llm.home.arpa", "http://api.localhost", "http://vllm.models.svc:8000",
            "http://vllm.default.svc.cluster.local:8000/v1", "http://localhost.:8000" })
    void staysQuietForHttpsAndLocalHosts(String url) {
        assertEquals(false, PlainHttpAdvice.isPlainHttpToRemoteHost(url), url);
    }

    @Test
    void namesEachFieldAsTheBodyWroteIt() {
        ProviderDocument shorthand = parser.parse("""
                {"name": "p", "type": "openai-compatible", "base_url": "http://my-vllm.example.com/v1",
                 "api_key": "${VLLM_API_KEY}", "models": [{"id": "m"}]}""");
        List<FieldWarning> warnings = PlainHttpAdvice.of(shorthand);
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("base_url", warnings.get(0).field());
        assertTrue(warnings.get(0).message().contains("my-vllm.example.com"), warnings.get(0).message());
        assertTrue(warnings.get(0).message().contains("credentials"), "a bearer key crosses the network too");
        assertTrue(warnings.get(0).message().contains("https://"), warnings.get(0).message());

        ProviderDocument endpoints = parser.parse("""
                {"name": "p", "type": "openai-compatible",
                 "endpoints": [{"base_url": "https://a.example.com/v1"}, {"base_url": "http://b.example.com/v1"},
                               {"base_url": "http://10.0.0.3/v1"}],
                 "auth": {"auth_type": "oauth2_client_credentials", "token_url": "http://login.example.com/token",
                          "client_id": "${CORP_CLIENT_ID}", "client_secret": "${CORP_CLIENT_SECRET}"},
                 "models": [{"id": "m"}]}""");
        List<String> fields = PlainHttpAdvice.of(endpoints).stream().map(FieldWarning::field).toList();
        assertEquals(List.of("endpoints[1].base_url", "auth.token_url"), fields);
        assertEquals(List.of("endpoints[1].base_url", "auth.token_url"),
                PlainHttpAdvice.of(endpoints.config()).stream().map(FieldWarning::field).toList());
    }
}
