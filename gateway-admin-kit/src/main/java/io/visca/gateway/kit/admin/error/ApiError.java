package io.visca.gateway.kit.admin.error;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The error body of the services' admin, finance, status and internal APIs: OpenAI's {@code {"error":{...}}} shape
 * plus the request id.
 */
public record ApiError(Detail error, String requestId) {

    /**
     * @param type {@code invalid_request_error}, {@code authentication_error}, {@code not_found_error},
     *        {@code conflict_error}, {@code rate_limit_error} or {@code server_error}
     * @param param the (first) offending field or parameter, if any
     * @param code a stable machine-readable code
     * @param violations every problem found, for validation errors (left out when there is none)
     */
    public record Detail(String message, String type, String param, String code,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Violation> violations) {
    }
}
