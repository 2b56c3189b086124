package io.visca.gateway.registry.provider.managed;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.registry.json.JsonBodies;

/**
 * The catalogue of managed providers: {@code {"as_of": "YYYY-MM-DD", "notes": "...", "providers": [...]}}, each
 * provider a document in the normal provider config format (validated one by one when seeded, by the same parser as
 * the API). Built in as {@code managed/managed-providers.json}; {@code GATEWAY_MANAGED_PROVIDERS_FILE} replaces it.
 *
 * @param asOf the date the catalogue's prices were published as its authors knew them
 * @param providers the provider documents as written
 */
public record ManagedCatalogue(LocalDate asOf, List<JsonNode> providers) {

    /** The built-in catalogue's classpath resource. */
    public static final String BUILT_IN = "managed/managed-providers.json";

    private static final Set<String> FIELDS = Set.of("as_of", "notes", "providers");

    /**
     * @throws IllegalArgumentException saying what is wrong with the file's shape (never quoting its content)
     */
    public static ManagedCatalogue parse(String text) {
        JsonNode root;
        try {
            root = JsonBodies.parse(text);
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("must be a JSON object with as_of and providers");
        }
        List<String> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                unknown.add(field);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown field(s) " + unknown + "; a catalogue has as_of, notes and "
                    + "providers");
        }
        JsonNode asOf = root.get("as_of");
        if (asOf == null || !asOf.isTextual()) {
            throw new IllegalArgumentException("as_of is required: the date of its prices, YYYY-MM-DD");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(asOf.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("as_of must be a date, YYYY-MM-DD");
        }
        JsonNode providers = root.get("providers");
        if (providers == null || !providers.isArray()) {
            throw new IllegalArgumentException("providers is required: an array of provider configs");
        }
        List<JsonNode> documents = new ArrayList<>();
        for (int i = 0; i < providers.size(); i++) {
            if (!providers.get(i).isObject()) {
                throw new IllegalArgumentException("providers[" + i + "] must be a provider config (a JSON object)");
            }
            documents.add(providers.get(i));
        }
        return new ManagedCatalogue(date, List.copyOf(documents));
    }
}
