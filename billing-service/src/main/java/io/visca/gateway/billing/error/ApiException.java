package io.visca.gateway.billing.error;

import java.util.List;

/**
 * A client mistake answered with {@link ApiError}: carries the status, type, code and, for validation errors, every
 * violation. Its message is shown to the client, so it never contains a secret.
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

    /** A 400 naming every bad query parameter. */
    public static ApiException invalid(List<Violation> violations) {
        StringBuilder message = new StringBuilder(violations.size() == 1 ? "1 problem: "
                : violations.size() + " problems: ");
        for (int i = 0; i < violations.size(); i++) {
            Violation v = violations.get(i);
            message.append(i == 0 ? "" : "; ").append(v.field().isEmpty() ? "" : v.field() + ": ").append(v.message());
        }
        return new ApiException(400, "invalid_request_error", "invalid_parameter",
                violations.isEmpty() ? null : violations.get(0).field(), message.toString(), violations);
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new Violation(field, message)));
    }

    public static ApiException unauthorized(String code, String message) {
        return new ApiException(401, "authentication_error", code, null, message, List.of());
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
