package io.visca.gateway.health.error;

/** A known condition answered with {@link ApiError}. Its message is shown to the client: never a secret. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;

    public ApiException(int status, String type, String code, String message) {
        this(status, type, code, null, message);
    }

    public ApiException(int status, String type, String code, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    /** A 400 for a bad query parameter, named in {@code param} and in the message. */
    public static ApiException invalidParameter(String param, String message) {
        return new ApiException(400, "invalid_request_error", "invalid_parameter", param, param + ": " + message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, "not_found_error", code, message);
    }

    public static ApiException unauthorized(String code, String message) {
        return new ApiException(401, "authentication_error", code, message);
    }

    public int status() {
        return status;
    }

    public ApiError toBody(String requestId) {
        return new ApiError(new ApiError.Detail(getMessage(), type, param, code), requestId);
    }
}
