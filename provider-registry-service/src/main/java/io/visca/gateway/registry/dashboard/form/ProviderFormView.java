package io.visca.gateway.registry.dashboard.form;

import java.util.List;

import io.quarkus.qute.TemplateData;
import io.visca.gateway.kit.admin.error.Violation;

/**
 * What the provider page renders: the form's values and violations (or the JSON document in JSON mode).
 *
 * @param name the provider being edited, null when adding one
 * @param violations every violation, for the summary
 */
@TemplateData
public record ProviderFormView(String name, boolean jsonMode, FormRow top, List<FormRow> endpoints,
        List<FormRow> models, String json, List<Violation> violations, boolean storedKey) {

    public boolean editing() {
        return name != null;
    }

    public String action() {
        return name == null ? "/providers" : "/providers/" + name;
    }

    public List<String> types() {
        return ProviderForm.TYPES;
    }

    public List<String> authTypes() {
        return ProviderForm.AUTH_TYPES;
    }

    public List<String> modes() {
        return ProviderForm.MODES;
    }
}
