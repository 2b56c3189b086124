package io.visca.gateway.registry.dashboard;

import static io.visca.gateway.registry.TestApi.service;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.auth.SecretCipher;
import io.visca.gateway.auth.SecretField;
import io.visca.gateway.registry.TestApi;

/** A valid provider as the dashboard's form sends it and as the API's document, and what the registry stored. */
final class ProviderForms {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProviderForms() {
    }

    /** A complete, valid form as a browser sends it. */
    static Map<String, Object> goodForm(String name) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("name", name);
        form.put("type", "openai-compatible");
        form.put("enabled", "true");
        form.put("base_url", "");
        form.put("endpoints[0].url", "http://10.0.0.1:8000/v1");
        form.put("endpoints[0].weight", "3");
        form.put("endpoints[0].id", "");
        form.put("endpoints[1].url", "http://10.0.0.2:8000/v1");
        form.put("endpoints[1].weight", "1");
        form.put("endpoints[1].id", "replica-2");
        form.put("auth_type", "bearer");
        form.put("api_key", "${MY_VLLM_KEY}");
        form.put("models[0].id", "llama-3-70b");
        form.put("models[0].name", "Llama 3 70B");
        form.put("models[0].context_window", "8192");
        form.put("models[0].cost_per_1k_input", "0.0005");
        form.put("models[0].cost_per_1k_output", "0.0015");
        form.put("models[0].mode", "");
        form.put("health_check.enabled", "true");
        // the model listing under each base URL (/v1/models): relative, as "/models" is the server root's
        form.put("health_check.endpoint", "models");
        form.put("health_check.interval_seconds", "60");
        form.put("health_check.timeout_seconds", "5");
        form.put("timeouts.connect_ms", "2000");
        form.put("rate_limit.requests_per_minute", "600");
        form.put("retry.max_retries", "2");
        return form;
    }

    /** The same provider as the API's JSON document. */
    static String goodDocument(String name) {
        return """
                {"name": "%s", "type": "openai-compatible", "enabled": true,
                 "endpoints": [{"base_url": "http://10.0.0.1:8000/v1", "weight": 3},
                               {"id": "replica-2", "base_url": "http://10.0.0.2:8000/v1", "weight": 1}],
                 "auth": {"auth_type": "bearer", "api_key": "${MY_VLLM_KEY}"},
                 "models": [{"id": "llama-3-70b", "name": "Llama 3 70B", "context_window": 8192,
                             "cost_per_1k_input": 0.0005, "cost_per_1k_output": 0.0015}],
                 "health_check": {"enabled": true, "endpoint": "models", "interval_seconds": 60, "timeout_seconds": 5},
                 "timeouts": {"connect_ms": 2000}, "rate_limit": {"requests_per_minute": 600},
                 "retry": {"max_retries": 2}}
                """.formatted(name);
    }

    /** The document as the registry stores it, its encrypted literal secrets opened with the test key. */
    static JsonNode stored(String name) throws IOException {
        JsonNode stored = JSON.readTree(service().get("/internal/providers/" + name).then().statusCode(200).extract()
                .asString());
        if (stored.get("auth") instanceof ObjectNode auth) {
            for (SecretField field : SecretField.values()) {
                String key = field.path().substring("auth.".length());
                if (SecretCipher.isSealed(auth.path(key).asText(null))) {
                    auth.put(key, TestApi.opened(name, field.path(), auth.get(key).asText()));
                }
            }
        }
        return stored;
    }

    static JsonNode withoutName(JsonNode node) {
        ObjectNode copy = node.deepCopy();
        copy.remove("name");
        return copy;
    }
}
