package io.visca.gateway.registry.provider.client;

/**
 * A classified failure of one upstream call. Its detail is written by the registry; of an upstream's words it holds at
 * most a short sanitized excerpt ({@link io.visca.gateway.outbound.UpstreamExcerpt}), never a body or a secret.
 *
 * @see FailureClassifier
 */
public final class ProbeFailure extends RuntimeException {

    public static final String DNS = "dns";
    public static final String REFUSED = "refused";
    public static final String TLS = "tls";
    public static final String AUTH = "auth";
    public static final String TIMEOUT = "timeout";
    public static final String UNEXPECTED_BODY = "unexpected_body";
    public static final String HTTP_ERROR = "http_error";
    public static final String NETWORK = "network";
    public static final String MISSING_SECRET = "missing_secret";
    /** A {@code ${NAME}} reference this service refuses to resolve: nothing was sent. */
    public static final String FORBIDDEN_SECRET = "forbidden_secret";
    /** The health check's answer is not one the health monitor counts as healthy. */
    public static final String UNHEALTHY = "unhealthy";
    /** A stored {@code health_check.endpoint} that is not a path on the endpoint's host: nothing was sent. */
    public static final String INVALID_HEALTH_CHECK = "invalid_health_check";
    /** The provider's type is one no package of gateway-providers registers: nothing was sent. */
    public static final String UNKNOWN_TYPE = "unknown_type";
    /** The outbound URL policy refused the address: nothing was sent. */
    public static final String REFUSED_BY_POLICY = "refused_by_policy";

    private final String reason;
    private final Integer httpStatus;

    public ProbeFailure(String reason, Integer httpStatus, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
        this.httpStatus = httpStatus;
    }

    public String reason() {
        return reason;
    }

    /** The status when the endpoint answered HTTP, null when it did not answer. */
    public Integer httpStatus() {
        return httpStatus;
    }

    public String detail() {
        return getMessage();
    }
}
