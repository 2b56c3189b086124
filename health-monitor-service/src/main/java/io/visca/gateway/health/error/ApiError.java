package io.visca.gateway.health.error;

/**
 * The error body of the status API, the shape of the registry's admin API errors: OpenAI's {@code {"error":{...}}}
 * plus the request id.
 */
public record ApiError(Detail error, String requestId) {

    /**
     * @param type {@code authentication_error}, {@code not_found_error}, {@code invalid_request_error} or
     *        {@code server_error}
     * @param code a stable machine-readable code
     */
    public record Detail(String message, String type, String param, String code) {
    }
}
