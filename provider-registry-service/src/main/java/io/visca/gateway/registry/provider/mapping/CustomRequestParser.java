package io.visca.gateway.registry.provider.mapping;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.contracts.provider.CustomRequestConfig;
import io.visca.gateway.contracts.provider.TransformConfig;
import io.visca.gateway.registry.json.JsonFields;
import io.visca.gateway.registry.json.Violations;

/** For {@code custom} providers: the upstream {@code request} (method, path, headers) and the jq {@code transform}. */
final class CustomRequestParser {

    static final List<String> METHODS = List.of("POST", "PUT", "PATCH", "GET");
    /** Headers that carry credentials: only a ${NAME} reference is accepted, as literals would be returned. */
    static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "x-api-key",
            "api-key", "cookie");
    private static final Set<String> REQUEST_FIELDS = Set.of("method", "path", "headers");
    private static final Set<String> TRANSFORM_FIELDS = Set.of("language", "request", "response");

    private CustomRequestParser() {
    }

    static CustomRequestConfig request(JsonFields document, boolean required) {
        Violations violations = document.violations();
        if (!document.present("request")) {
            if (required) {
                violations.add("request", "is required for type custom: {\"method\": \"POST\", \"path\": \"/...\"}");
            }
            return null;
        }
        JsonFields request = document.object("request", REQUEST_FIELDS);
        if (request == null) {
            return null;
        }
        String method = request.string("method");
        if (method == null) {
            method = "POST";
        } else if (!METHODS.contains(method.toUpperCase())) {
            violations.add(request.path("method"), "must be one of " + String.join(", ", METHODS));
        } else {
            method = method.toUpperCase();
        }
        String path = request.requiredString("path");
        if (path != null && (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 0x7F))) {
            violations.add(request.path("path"), "must be a path relative to each endpoint's base URL, starting with "
                    + "'/', without spaces");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode rawHeaders = request.raw("headers");
        if (rawHeaders != null && !rawHeaders.isObject()) {
            violations.add(request.path("headers"), "must be an object of header names to string values");
        } else if (rawHeaders != null) {
            Iterator<Map.Entry<String, JsonNode>> entries = rawHeaders.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> header = entries.next();
                String field = request.path("headers") + "." + header.getKey();
                if (!AuthParser.HEADER_NAME.matcher(header.getKey()).matches()) {
                    violations.add(field, "is not a valid HTTP header name");
                } else if (AuthParser.RESERVED_HEADERS.contains(header.getKey().toLowerCase())) {
                    violations.add(field, "is managed by the gateway and cannot be set");
                } else if (!header.getValue().isTextual()) {
                    violations.add(field, "must be a string");
                } else {
                    String value = header.getValue().textValue();
                    String problem = SecretValues.problem(value);
                    if (problem != null) {
                        violations.add(field, problem);
                    } else if (CREDENTIAL_HEADERS.contains(header.getKey().toLowerCase())
                            && !SecretValues.isReference(value)) {
                        violations.add(field, "carries credentials: configure them in auth, or write a ${NAME} "
                                + "reference (literal header values are returned by the API)");
                    } else {
                        headers.put(header.getKey(), header.getValue().textValue());
                    }
                }
            }
        }
        return new CustomRequestConfig(method, path, headers);
    }

    static TransformConfig transform(JsonFields document, boolean required) {
        Violations violations = document.violations();
        if (!document.present("transform")) {
            if (required) {
                violations.add("transform", "is required for type custom: {\"language\": \"jq\", \"request\": \"...\", "
                        + "\"response\": \"...\"}");
            }
            return null;
        }
        JsonFields transform = document.object("transform", TRANSFORM_FIELDS);
        if (transform == null) {
            return null;
        }
        String language = transform.string("language");
        if (language != null && !JqPrograms.LANGUAGE.equals(language)) {
            violations.add(transform.path("language"), "unsupported language '" + language + "'; only jq is supported");
        }
        String request = program(transform, "request");
        String response = program(transform, "response");
        return new TransformConfig(JqPrograms.LANGUAGE, request, response);
    }

    private static String program(JsonFields transform, String field) {
        String program = transform.requiredString(field);
        if (program != null) {
            String problem = JqPrograms.compileProblem(program);
            if (problem != null) {
                transform.violations().add(transform.path(field), "does not compile as jq: " + problem);
            } else if ((problem = JqPrograms.boundProblem(program, "request".equals(field))) != null) {
                transform.violations().add(transform.path(field), "does not finish within the jq bounds: "
                        + problem);
            }
        }
        return program;
    }
}
