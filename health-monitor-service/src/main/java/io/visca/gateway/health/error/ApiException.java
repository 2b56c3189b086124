package io.visca.gateway.health.error;

/** A known condition answered with {@link ApiError}. Its message is shown to the client: never a secret. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;

    public ApiException(int status, String type, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
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
        return new ApiError(new ApiError.Detail(getMessage(), type, null, code), requestId);
    }
}
