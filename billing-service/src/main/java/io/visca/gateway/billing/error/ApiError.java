package io.visca.gateway.billing.error;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The error body of the finance API (the registry's shape): OpenAI's {@code {"error":{...}}} shape plus the request id.
 */
public record ApiError(Detail error, String requestId) {

    /**
     * @param type {@code invalid_request_error}, {@code authentication_error}, {@code not_found_error},
     *        {@code conflict_error} or {@code server_error}
     * @param param the (first) offending field, if any
     * @param code a stable machine-readable code
     * @param violations every problem found, for validation errors
     */
    public record Detail(String message, String type, String param, String code,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Violation> violations) {
    }
}
