package io.visca.gateway.kit.admin.error;

import java.util.List;

/**
 * A client mistake (or a known condition) answered with {@link ApiError}: carries the status, type, code and, for
 * validation errors, every violation. Its message is shown to the client, so it never contains a secret. The codes
 * are each service's own (e.g. the registry's {@code validation_failed}, billing's {@code invalid_parameter}); the
 * types are the shape's.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final List<Violation> violations;

    public ApiException(int status, String type, String code, String param, String message,
            List<Violation> violations) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.violations = violations == null ? List.of() : List.copyOf(violations);
    }

    /** A 400 listing every violation ({@code "2 problems: a: ...; b: ..."}), {@code param} naming the first. */
    public static ApiException invalid(String code, List<Violation> violations) {
        String message = (violations.size() == 1 ? "1 problem: " : violations.size() + " problems: ")
                + joined(violations);
        return new ApiException(400, "invalid_request_error", code,
                violations.isEmpty() ? null : violations.get(0).field(), message, violations);
    }

    public static ApiException invalid(String code, String field, String message) {
        return invalid(code, List.of(new Violation(field, message)));
    }

    /** What is wrong, in one line for a log: each violation as {@code field: message}, or the message. */
    public String problems() {
        return violations.isEmpty() ? getMessage() : joined(violations);
    }

    private static String joined(List<Violation> violations) {
        StringBuilder joined = new StringBuilder();
        for (Violation v : violations) {
            joined.append(joined.length() == 0 ? "" : "; ").append(v.field().isEmpty() ? "" : v.field() + ": ")
                    .append(v.message());
        }
        return joined.toString();
    }

    public static ApiException malformedJson(String message) {
        return new ApiException(400, "invalid_request_error", "malformed_json", null, message, List.of());
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, "not_found_error", code, null, message, List.of());
    }

    public static ApiException conflict(String code, String param, String message) {
        return new ApiException(409, "conflict_error", code, param, message, List.of());
    }

    public static ApiException unauthorized(String code, String message) {
        return new ApiException(401, "authentication_error", code, null, message, List.of());
    }

    /** The 429 of an address locked by the token throttle. */
    public static ApiException tooManyFailedAttempts(long retryAfterSeconds) {
        return new ApiException(429, "rate_limit_error", "too_many_failed_attempts", null,
                "too many failed token attempts from this address; try again in " + retryAfterSeconds + " s",
                List.of());
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public List<Violation> violations() {
        return violations;
    }

    public ApiError toBody(String requestId) {
        return new ApiError(new ApiError.Detail(getMessage(), type, param, code, violations), requestId);
    }
}
