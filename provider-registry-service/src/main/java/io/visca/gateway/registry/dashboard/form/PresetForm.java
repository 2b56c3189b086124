package io.visca.gateway.registry.dashboard.form;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.registry.provider.preset.ProviderPreset;

/**
 * "Add Custom Provider" started from a preset: the form (or the JSON mode's document) filled with the preset's type,
 * base URL, auth type, health check path; the name and the models are the user's. The preset's {@code ${NAME}}
 * reference is not a secret (the data file is public), so the page may show it in the API key field.
 */
public final class PresetForm {

    private PresetForm() {
    }

    /** The new-provider form filled from {@code preset}. */
    public static ProviderFormView view(ProviderPreset preset) {
        ProviderFormView blank = ProviderForm.blank();
        Map<String, String> top = new LinkedHashMap<>(blank.top().values());
        top.put("type", preset.type());
        top.put("auth_type", preset.formAuthType());
        if (preset.baseUrl() != null) {
            top.put("base_url", preset.baseUrl());
        }
        if (preset.auth() != null && preset.auth().headerName() != null) {
            top.put("header_name", preset.auth().headerName());
        }
        if (preset.healthCheckEndpoint() != null) {
            top.put("health_check.endpoint", preset.healthCheckEndpoint());
        }
        return ProviderForm.view(null, top, List.of(new LinkedHashMap<>()), List.of(new LinkedHashMap<>()),
                List.of(), false);
    }

    /** The JSON mode's starting document for {@code preset}: a name to change and its example model id. */
    public static String json(ProviderPreset preset, ObjectMapper json) {
        ObjectNode document = json.createObjectNode().put("name", "my-" + preset.id()).put("type", preset.type());
        if (preset.baseUrl() != null) {
            document.put("base_url", preset.baseUrl());
        }
        ObjectNode auth = document.putObject("auth").put("auth_type", preset.formAuthType());
        if (preset.auth() != null && preset.auth().headerName() != null) {
            auth.put("header_name", preset.auth().headerName());
        }
        if (!preset.apiKeyReference().isEmpty()) {
            auth.put("api_key", preset.apiKeyReference());
        }
        if (preset.healthCheckEndpoint() != null) {
            document.putObject("health_check").put("enabled", true).put("endpoint", preset.healthCheckEndpoint());
        }
        if (preset.modelExample() != null) {
            document.putArray("models").addObject().put("id", preset.modelExample());
        }
        return ProviderForm.pretty(json, document);
    }
}
