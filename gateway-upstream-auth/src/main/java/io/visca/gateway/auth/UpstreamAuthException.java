package io.visca.gateway.auth;

/**
 * Why a call's credentials could not be prepared: {@link MissingSecretException}, {@link ForbiddenSecretException},
 * {@link TokenRequestException} or {@link UnsupportedAuthTypeException}. Each service maps these to its own error type
 * and wording. Messages name fields, variables and URLs, never a secret; there is no stack trace, as for the services'
 * own failures.
 */
public abstract class UpstreamAuthException extends RuntimeException {

    UpstreamAuthException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
