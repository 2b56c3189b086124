package io.visca.gateway.registry.dashboard.form;

import java.util.List;
import java.util.Map;

import io.quarkus.qute.TemplateData;
import io.visca.gateway.kit.admin.error.Violation;

/**
 * Values of one part of the provider form (the top level, one endpoint or one model) by field key, and the
 * violations to show beside each field, by the same keys.
 *
 * @param prefix {@code endpoints} or {@code models}; null for the top level
 * @param index the row's index ({@code endpoints[index]}); {@link #TEMPLATE} for the row template that
 *        {@code #add-endpoint} / {@code #add-model} copy
 */
@TemplateData
public record FormRow(String prefix, int index, Map<String, String> values, Map<String, List<Violation>> errors) {

    public static final int TEMPLATE = -1;

    /** The form field name of a key: {@code endpoints[0].url}, or the key itself at the top level. */
    public String name(String key) {
        return prefix == null ? key : prefix + "[" + (index == TEMPLATE ? "__INDEX__" : index) + "]." + key;
    }

    /** An HTML id for the field of a key. */
    public String id(String key) {
        return "f-" + name(key).replaceAll("[^A-Za-z0-9_-]", "-");
    }

    public String number() {
        return index == TEMPLATE ? "__NUMBER__" : Integer.toString(index + 1);
    }

    public String v(String key) {
        String value = values.get(key);
        return value == null ? "" : value;
    }

    public boolean checked(String key) {
        return "true".equals(values.get(key));
    }

    public List<Violation> errors(String key) {
        return errors.getOrDefault(key, List.of());
    }

    public boolean invalid(String key) {
        return !errors(key).isEmpty();
    }
}
