package io.visca.gateway.registry.provider.mapping;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.registry.json.JsonFields;
import io.visca.gateway.registry.json.Violations;

/** The {@code auth} object, or the top-level {@code api_key} shorthand for bearer auth, or none. */
final class AuthParser {

    static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "content-type");

    private static final List<String> FIELDS = List.of("auth_type", "api_key", "header_name", "username", "password",
            "token_url", "client_id", "client_secret", "scope");
    /** The fields each auth type needs; every other field (but scope for OAuth2) must be absent. */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            AuthConfig.BEARER, List.of("api_key"),
            AuthConfig.HEADER, List.of("header_name", "api_key"),
            AuthConfig.BASIC, List.of("username", "password"),
            AuthConfig.NONE, List.of(),
            AuthConfig.OAUTH2_CLIENT_CREDENTIALS, List.of("token_url", "client_id", "client_secret"));
    private static final Set<String> REFERENCE_FIELDS = Set.of("api_key", "username", "password", "client_id",
            "client_secret");

    private AuthParser() {
    }

    static AuthConfig parse(JsonFields document) {
        Violations violations = document.violations();
        boolean shorthand = document.present("api_key");
        if (shorthand && document.present("auth")) {
            violations.add("api_key", "use either api_key (bearer shorthand) or auth, not both");
            return null;
        }
        if (shorthand) {
            String key = document.string("api_key");
            if (key == null) {
                return null;
            }
            String problem = SecretValues.problem(key);
            if (problem != null) {
                violations.add("api_key", problem);
            }
            return new AuthConfig(AuthConfig.BEARER, key, null, null, null, null, null, null, null);
        }
        JsonFields auth = document.object("auth", FIELDS);
        if (auth == null) {
            return document.present("auth") ? null : AuthConfig.none();
        }
        String type = auth.requiredString("auth_type");
        if (type == null) {
            return null;
        }
        List<String> required = REQUIRED.get(type);
        if (required == null) {
            violations.add(auth.path("auth_type"), "unknown auth_type '" + type + "'; one of: "
                    + String.join(", ", AuthConfig.AUTH_TYPES));
            return null;
        }
        for (String field : FIELDS) {
            boolean allowed = field.equals("auth_type") || required.contains(field)
                    || (field.equals("scope") && type.equals(AuthConfig.OAUTH2_CLIENT_CREDENTIALS));
            if (!allowed) {
                auth.rejectIfPresent(field, "not used by auth_type " + type);
            } else if (required.contains(field) && !auth.present(field)) {
                auth.violations().add(auth.path(field), "is required for auth_type " + type);
            }
        }
        String headerName = auth.string("header_name");
        if (headerName != null && required.contains("header_name")) {
            if (!HEADER_NAME.matcher(headerName).matches()) {
                violations.add(auth.path("header_name"), "must be a valid HTTP header name");
            } else if (RESERVED_HEADERS.contains(headerName.toLowerCase())) {
                violations.add(auth.path("header_name"), "cannot carry credentials: " + headerName
                        + " is managed by the gateway");
            }
        }
        String tokenUrl = required.contains("token_url")
                ? UrlRules.httpUrl(auth.string("token_url"), auth.path("token_url"), violations)
                : null;
        String scope = type.equals(AuthConfig.OAUTH2_CLIENT_CREDENTIALS) ? auth.string("scope") : null;
        return new AuthConfig(type,
                secret(auth, "api_key", required),
                required.contains("header_name") ? headerName : null,
                secret(auth, "username", required),
                secret(auth, "password", required),
                tokenUrl,
                secret(auth, "client_id", required),
                secret(auth, "client_secret", required),
                scope);
    }

    private static String secret(JsonFields auth, String field, List<String> required) {
        if (!required.contains(field)) {
            return null;
        }
        String value = auth.string(field);
        if (value != null && REFERENCE_FIELDS.contains(field)) {
            String problem = SecretValues.problem(value);
            if (problem != null) {
                auth.violations().add(auth.path(field), problem);
            }
        }
        return value;
    }
}
