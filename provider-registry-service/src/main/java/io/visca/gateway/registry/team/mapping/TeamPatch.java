package io.visca.gateway.registry.team.mapping;

import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.registry.json.JsonFields;
import io.visca.gateway.registry.json.Violations;
import io.visca.gateway.registry.policy.mapping.PolicyFields;
import io.visca.gateway.registry.policy.repository.PolicyColumns;
import io.visca.gateway.registry.provider.mapping.ProviderDocumentParser;
import io.visca.gateway.registry.team.repository.TeamEntity;

/**
 * The body of {@code POST /api/teams} ({@code name} required: lowercase letters, digits, {@code . _ -}, at most 63
 * characters, as provider names) or {@code PATCH /api/teams/{name}} (a JSON merge patch of the budget, rates and
 * metadata; a team is never renamed). Violations that need the stored team are added when it is
 * {@link #applyTo applied}.
 */
public final class TeamPatch {

    private static final Set<String> FIELDS = fields();

    private final boolean creating;
    private final Violations violations = new Violations();
    private final PolicyFields policy;
    private final String name;

    private TeamPatch(JsonNode body, boolean creating) {
        this.creating = creating;
        JsonFields fields = JsonFields.of(body, "", violations, FIELDS);
        this.policy = fields == null ? null : new PolicyFields(body, fields);
        String value = null;
        if (fields != null && creating) {
            value = fields.requiredString("name");
            if (value != null && !ProviderDocumentParser.NAME.matcher(value).matches()) {
                violations.add("name", "must be 1 to 63 lowercase letters, digits, '.', '_' or '-', starting with "
                        + "a letter or digit");
                value = null;
            }
        } else if (fields != null && body.has("name")) {
            violations.add("name", "cannot be changed; a team is never renamed (its keys and spend name it)");
        }
        this.name = value;
    }

    public static TeamPatch forCreate(JsonNode body) {
        return new TeamPatch(body, true);
    }

    public static TeamPatch forUpdate(JsonNode body) {
        return new TeamPatch(body, false);
    }

    public Violations violations() {
        return violations;
    }

    /** The new team's name (create only). */
    public String name() {
        return name;
    }

    public boolean creating() {
        return creating;
    }

    /** Writes the patch into {@code team} (a new entity on create), adding the violations that depend on it. */
    public void applyTo(TeamEntity team) {
        if (policy == null) {
            return;
        }
        team.policy = PolicyColumns.orEmpty(team.policy);
        policy.applyTo(team.policy);
    }

    private static Set<String> fields() {
        Set<String> all = new HashSet<>(PolicyFields.NAMES);
        all.add("name");
        return Set.copyOf(all);
    }
}
