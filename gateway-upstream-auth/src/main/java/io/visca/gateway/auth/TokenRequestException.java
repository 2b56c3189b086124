package io.visca.gateway.auth;

import io.visca.gateway.outbound.OutboundRefusedException;

/**
 * No OAuth2 access token could be had from a token endpoint. It tells what happened ({@link #problem()}), the HTTP
 * status when there was an answer, and the RFC 6749 section 5.2 {@code error} code when the endpoint gave a
 * well-formed one; never the client secret, and never the endpoint's body or {@code error_description}.
 */
public final class TokenRequestException extends UpstreamAuthException {

    /** What went wrong with the token request. */
    public enum Problem {
        /**
         * No HTTP answer: DNS, connection, TLS, timeout, or the outbound URL policy refused the token URL's address
         * ({@link OutboundRefusedException}); {@link #getCause()} says which.
         */
        UNREACHABLE,
        /** The endpoint answered with a status outside 2xx (400 or 401 for bad client credentials). */
        ERROR_STATUS,
        /** A 2xx answer whose body is not a JSON object. */
        NOT_JSON,
        /** A 2xx JSON answer without a non-blank {@code access_token}. */
        NO_ACCESS_TOKEN
    }

    private static final int MAX_DETAIL = 200;

    private final String tokenUrl;
    private final Problem problem;
    private final int status;
    private final String errorCode;

    private TokenRequestException(String tokenUrl, Problem problem, int status, String errorCode, Throwable cause,
            String message) {
        super(message, cause);
        this.tokenUrl = tokenUrl;
        this.problem = problem;
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The request got no answer, because of {@code cause}. */
    public static TokenRequestException unreachable(String tokenUrl, Throwable cause) {
        if (cause instanceof OutboundRefusedException refused) {
            return new TokenRequestException(tokenUrl, Problem.UNREACHABLE, 0, null, cause,
                    call(tokenUrl) + " was not sent: " + refused.getMessage());
        }
        String detail = cause.getMessage() == null ? "" : " (" + firstLine(cause.getMessage()) + ")";
        return new TokenRequestException(tokenUrl, Problem.UNREACHABLE, 0, null, cause,
                call(tokenUrl) + " failed: " + cause.getClass().getSimpleName() + detail);
    }

    /** The endpoint answered, but not with a token. */
    public static TokenRequestException answered(String tokenUrl, Problem problem, int status, String errorCode) {
        String what = switch (problem) {
            case NOT_JSON -> ", but not with a JSON object";
            case NO_ACCESS_TOKEN -> " without an access_token";
            default -> errorCode == null ? "" : " (" + errorCode + ")";
        };
        return new TokenRequestException(tokenUrl, problem, status, errorCode, null,
                call(tokenUrl) + " answered HTTP " + status + what);
    }

    public String tokenUrl() {
        return tokenUrl;
    }

    public Problem problem() {
        return problem;
    }

    /** The endpoint's HTTP status, 0 when it did not answer ({@link Problem#UNREACHABLE}). */
    public int status() {
        return status;
    }

    /** The answer's {@code error} code (e.g. {@code invalid_client}) for {@link Problem#ERROR_STATUS}, or null. */
    public String errorCode() {
        return errorCode;
    }

    private static String call(String tokenUrl) {
        return "OAuth2 token request to " + tokenUrl;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "..." : line;
    }
}
