package io.visca.gateway.registry.provider.preset;

import io.quarkus.qute.TemplateData;

/**
 * Where "Add Custom Provider" starts for one provider the product page lists: what the form fills in. Values are the
 * product's own defaults (its port, path and auth), which the user then adapts.
 *
 * @param id the preset's key, e.g. {@code vllm} ({@code /providers/new?preset=vllm})
 * @param baseUrl the product's default base URL; null for {@code custom}
 * @param auth auth type and the {@code ${NAME}} reference to fill in; null: the form's default (the API's own)
 * @param healthCheckEndpoint {@code health_check.endpoint} to fill in; null: the type's default
 * @param modelExample a model id as the product names them, for the form's placeholder
 * @param hint one line shown on the form
 * @param example the file of {@code examples/providers/} that configures this product
 */
@TemplateData
public record ProviderPreset(String id, String label, String type, String baseUrl, Auth auth,
        String healthCheckEndpoint, String modelExample, String hint, String docsUrl, String example) {

    /**
     * @param apiKey a {@code ${NAME}} reference, never a literal (the file is public), allowed by the default
     *        {@code GATEWAY_SECRET_NAMES}
     */
    @TemplateData
    public record Auth(String authType, String headerName, String apiKey) {
    }

    /** The form's auth type for this preset ({@code none} when the preset leaves auth to the user). */
    public String formAuthType() {
        return auth == null || auth.authType() == null ? "none" : auth.authType();
    }

    /** The secret reference the form fills in, or "" when there is none. */
    public String apiKeyReference() {
        return auth == null || auth.apiKey() == null ? "" : auth.apiKey();
    }
}
