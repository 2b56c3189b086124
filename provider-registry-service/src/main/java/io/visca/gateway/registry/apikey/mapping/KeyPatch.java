package io.visca.gateway.registry.apikey.mapping;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.visca.gateway.registry.apikey.repository.ApiKeyEntity;
import io.visca.gateway.registry.json.JsonFields;
import io.visca.gateway.registry.json.Violations;
import io.visca.gateway.registry.policy.mapping.JsonColumns;
import io.visca.gateway.registry.policy.mapping.Patched;
import io.visca.gateway.registry.policy.mapping.PolicyFields;
import io.visca.gateway.registry.policy.repository.PolicyColumns;
import io.visca.gateway.registry.provider.mapping.ProviderDocumentParser;

/**
 * The body of {@code POST /api/keys} (a new key: {@code name} required) or {@code PATCH /api/keys/{id}} (a JSON merge
 * patch: absent keeps, null clears), read and checked field by field. Violations that need the stored key (a budget
 * period without a budget) or the database (does the team exist) are added when it is {@link #applyTo applied};
 * the caller throws them all in one 400.
 */
public final class KeyPatch {

    public static final int MAX_NAME = 100;
    public static final int MAX_MODELS = 1000;
    /** Team names: as provider names (they appear in URLs and quota scopes). */
    public static final Pattern TEAM_NAME = ProviderDocumentParser.NAME;
    private static final Set<String> FIELDS = union(Set.of("name", "team", "models", "expires_at"),
            PolicyFields.NAMES);

    private final boolean creating;
    private final Violations violations;
    private final Patched<String> name;
    private final Patched<String> team;
    private final Patched<List<String>> models;
    private final Patched<Instant> expiresAt;
    private final PolicyFields policy;

    private KeyPatch(JsonNode body, boolean creating) {
        this.creating = creating;
        this.violations = new Violations();
        JsonFields fields = JsonFields.of(body, "", violations, FIELDS);
        if (fields == null) {
            name = Patched.keep();
            team = Patched.keep();
            models = Patched.keep();
            expiresAt = Patched.keep();
            policy = null;
            return;
        }
        PolicyFields shared = new PolicyFields(body, fields);
        this.policy = shared;
        this.name = name(fields, shared);
        this.team = shared.patched("team", () -> team(fields));
        this.models = shared.patched("models", () -> models(fields));
        this.expiresAt = shared.patched("expires_at", () -> expiresAt(fields));
    }

    /** A POST body: {@code name} is required, an expiry must be in the future. */
    public static KeyPatch forCreate(JsonNode body) {
        return new KeyPatch(body, true);
    }

    /** A PATCH body: every field optional; an expiry may be past (the key then expires at once). */
    public static KeyPatch forUpdate(JsonNode body) {
        return new KeyPatch(body, false);
    }

    /** A new key with a name and no policy (the dashboard's form, the playground's key). */
    public static KeyPatch named(String name) {
        return forCreate(JsonNodeFactory.instance.objectNode().put("name", name));
    }

    public Violations violations() {
        return violations;
    }

    /** The key's name after the patch; null when the body does not set one. */
    public String name() {
        return name.value();
    }

    /** The team the patch puts the key in, which must exist; null when it sets none. */
    public String team() {
        return team.value();
    }

    /** Writes the patch into {@code key} (a new entity on create), adding the violations that depend on it. */
    public void applyTo(ApiKeyEntity key, Instant now) {
        if (policy == null) {
            return;
        }
        key.name = name.applyTo(key.name);
        key.team = team.applyTo(key.team);
        key.models = JsonColumns.ofList(models.applyTo(JsonColumns.list(key.models)));
        key.expiresAt = expiresAt.applyTo(key.expiresAt);
        if (creating && key.expiresAt != null && !key.expiresAt.isAfter(now)) {
            violations.add("expires_at", "must be in the future (a new key that has already expired is of no use)");
        }
        key.policy = PolicyColumns.orEmpty(key.policy);
        policy.applyTo(key.policy);
    }

    private Patched<String> name(JsonFields fields, PolicyFields shared) {
        if (creating) {
            String value = fields.requiredString("name");
            return value == null ? Patched.keep() : checkedName(value);
        }
        Patched<String> patched = shared.patched("name", () -> fields.requiredString("name"));
        if (patched.clears()) {
            violations.add("name", "cannot be removed; every key has a name");
            return Patched.keep();
        }
        return patched.present() ? checkedName(patched.value()) : patched;
    }

    private Patched<String> checkedName(String value) {
        if (value.length() > MAX_NAME) {
            violations.add("name", "must be at most " + MAX_NAME + " characters");
            return Patched.keep();
        }
        return Patched.to(value.strip());
    }

    private String team(JsonFields fields) {
        String value = fields.string("team");
        if (value != null && !TEAM_NAME.matcher(value).matches()) {
            violations.add("team", "must be the name of a team (lowercase letters, digits, '.', '_', '-'; at most "
                    + "63 characters)");
            return null;
        }
        return value;
    }

    private List<String> models(JsonFields fields) {
        List<JsonNode> elements = fields.array("models");
        if (elements == null) {
            return null;
        }
        if (elements.isEmpty() || elements.size() > MAX_MODELS) {
            violations.add("models", "must hold from 1 to " + MAX_MODELS + " model ids (null allows every model)");
            return null;
        }
        List<String> ids = new ArrayList<>(elements.size());
        Set<String> seen = new HashSet<>();
        boolean valid = true;
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            String path = "models[" + i + "]";
            if (!element.isTextual() || element.textValue().isBlank()) {
                violations.add(path, "must be a model id (a non-blank string)");
                valid = false;
            } else if (!ProviderDocumentParser.MODEL_ID.matcher(element.textValue()).matches()) {
                violations.add(path, "must be a model id: 1 to 256 printable ASCII characters without spaces");
                valid = false;
            } else if ("auto".equals(element.textValue())) {
                violations.add(path, "'auto' is not a model: a key may always ask for auto, which routes among its "
                        + "models");
                valid = false;
            } else if (!seen.add(element.textValue())) {
                violations.add(path, "'" + element.textValue() + "' is listed twice");
                valid = false;
            } else {
                ids.add(element.textValue());
            }
        }
        return valid ? ids : null;
    }

    private Instant expiresAt(JsonFields fields) {
        String value = fields.string("expires_at");
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip()).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            violations.add("expires_at", "must be an ISO-8601 instant such as 2026-12-31T23:59:59Z");
            return null;
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
