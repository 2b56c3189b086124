package io.visca.gateway.registry.provider.mapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.CustomRequestConfig;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.TransformConfig;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.providers.KnownProviderTypes;
import io.visca.gateway.providers.ProviderType;
import io.visca.gateway.providers.UnknownProviderTypeException;
import io.visca.gateway.registry.json.JsonBodies;
import io.visca.gateway.registry.json.JsonFields;
import io.visca.gateway.registry.json.Violations;

/**
 * Reads the provider config document users write into its normalized form ({@link ProviderConfig}): expands the
 * {@code base_url} and top-level {@code api_key} shorthands, fills defaults, derives endpoint ids, and reports
 * every violation at once by field path ({@code endpoints[1].base_url}). Secrets are kept as written.
 */
public final class ProviderDocumentParser {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    /** Model ids as clients send them: 1 to 256 printable ASCII characters, no whitespace. */
    public static final Pattern MODEL_ID = ModelsParser.MODEL_ID;
    static final Pattern ENDPOINT_ID = Pattern.compile("[A-Za-z0-9\\[][A-Za-z0-9._:\\[\\]-]{0,127}");
    static final int MAX_ENDPOINTS = 64;
    static final int MAX_WEIGHT = 10_000;

    private static final Set<String> FIELDS = Set.of("name", "type", "enabled", "base_url", "api_key", "endpoints",
            "auth", "models", "health_check", "timeouts", "rate_limit", "retry", "request", "transform",
            // read-only fields of the API's answers, ignored so that an answer can be sent back: credentials status
            // (ProviderView), model discovery (DiscoveryViews), the advice of a create or replace
            "credentials", "missing_secrets", "managed", "models_source", "discovered_at", "discovery", "warnings");
    private static final Set<String> ENDPOINT_FIELDS = Set.of("id", "base_url", "weight");

    /**
     * @throws ApiException 400: malformed JSON (with line and column) or the list of violations
     */
    public ProviderDocument parse(String body) {
        return parse(JsonBodies.parse(body));
    }

    /**
     * @throws ApiException 400 listing every violation
     */
    public ProviderDocument parse(JsonNode root) {
        Violations violations = new Violations();
        JsonFields fields = JsonFields.of(root, "", violations, FIELDS);
        if (fields == null) {
            violations.throwIfAny();
        }
        String name = fields.requiredString("name");
        if (name != null && !NAME.matcher(name).matches()) {
            violations.add("name", "must match " + NAME.pattern() + ": lowercase letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit, at most 63 characters");
        }
        String type = fields.requiredString("type");
        ProviderType known = type == null ? null : KnownProviderTypes.find(type).orElse(null);
        if (type != null && known == null) {
            violations.add("type", new UnknownProviderTypeException(type, KnownProviderTypes.names()).getMessage());
            type = null;
        }
        Boolean enabled = fields.bool("enabled");
        List<EndpointConfig> endpoints = endpoints(fields);
        AuthConfig auth = AuthParser.parse(fields);
        List<ModelConfig> models = ModelsParser.parse(fields, type);
        var healthCheck = SettingsParser.healthCheck(fields);
        var timeouts = SettingsParser.timeouts(fields);
        var rateLimit = SettingsParser.rateLimit(fields);
        var retry = SettingsParser.retry(fields);
        CustomRequestConfig request = null;
        TransformConfig transform = null;
        if (known != null && known.takesRequestAndTransform()) {
            request = CustomRequestParser.request(fields, true);
            transform = CustomRequestParser.transform(fields, true);
        } else if (type != null) {
            fields.rejectIfPresent("request", "only used by type custom");
            fields.rejectIfPresent("transform", "only used by type custom");
        }
        violations.throwIfAny();
        ProviderConfig config = new ProviderConfig(name, type, enabled == null || enabled, endpoints, auth, models,
                healthCheck, timeouts, rateLimit, retry, request, transform);
        return new ProviderDocument(config, enabled != null, fields.present("base_url"));
    }

    private static List<EndpointConfig> endpoints(JsonFields fields) {
        Violations violations = fields.violations();
        boolean shorthand = fields.present("base_url");
        boolean full = fields.present("endpoints");
        if (shorthand && full) {
            violations.add("base_url", "use either base_url (one endpoint of weight 1) or endpoints, not both");
            return List.of();
        }
        if (!shorthand && !full) {
            violations.add("endpoints", "is required: at least one endpoint, or the base_url shorthand");
            return List.of();
        }
        if (shorthand) {
            String url = UrlRules.httpUrl(fields.string("base_url"), "base_url", violations);
            return url == null ? List.of() : List.of(new EndpointConfig(UrlRules.hostAndPort(url), url, 1));
        }
        List<JsonNode> elements = fields.array("endpoints");
        if (elements == null) {
            return List.of();
        }
        if (elements.isEmpty() || elements.size() > MAX_ENDPOINTS) {
            violations.add("endpoints", "must hold from 1 to " + MAX_ENDPOINTS + " endpoints");
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        Map<String, Integer> explicit = new HashMap<>();
        for (int i = 0; i < elements.size(); i++) {
            String path = "endpoints[" + i + "]";
            JsonFields endpoint = JsonFields.of(elements.get(i), path, violations, ENDPOINT_FIELDS);
            if (endpoint == null) {
                ids.add(null);
                urls.add(null);
                weights.add(1);
                continue;
            }
            String id = endpoint.string("id");
            if (id != null && !ENDPOINT_ID.matcher(id).matches()) {
                violations.add(path + ".id", "must match " + ENDPOINT_ID.pattern()
                        + " (letters, digits, '.', '_', ':', '-'; no '/'), at most 128 characters");
                id = null;
            } else if (id != null) {
                Integer first = explicit.putIfAbsent(id, i);
                if (first != null) {
                    violations.add(path + ".id", "duplicate endpoint id '" + id + "' (also endpoints[" + first + "])");
                }
            }
            ids.add(id);
            String rawUrl = endpoint.requiredString("base_url");
            urls.add(UrlRules.httpUrl(rawUrl, path + ".base_url", violations));
            Integer weight = endpoint.integer("weight", 1, MAX_WEIGHT, "(share of the provider's traffic)");
            weights.add(weight == null ? 1 : weight);
        }
        Set<String> used = new HashSet<>(explicit.keySet());
        List<EndpointConfig> result = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            String url = urls.get(i);
            if (url == null) {
                continue;
            }
            String id = ids.get(i);
            if (id == null) {
                String base = UrlRules.hostAndPort(url);
                id = base;
                for (int n = 2; used.contains(id); n++) {
                    id = base + "-" + n;
                }
                used.add(id);
            }
            result.add(new EndpointConfig(id, url, weights.get(i)));
        }
        return result;
    }
}
