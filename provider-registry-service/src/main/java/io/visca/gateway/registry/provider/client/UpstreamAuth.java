package io.visca.gateway.registry.provider.client;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.visca.gateway.auth.ForbiddenSecretException;
import io.visca.gateway.auth.MissingSecretException;
import io.visca.gateway.auth.OAuth2TokenCache;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.auth.TokenEndpoint;
import io.visca.gateway.auth.TokenRequestException;
import io.visca.gateway.auth.UnsupportedAuthTypeException;
import io.visca.gateway.auth.UpstreamAuthException;
import io.visca.gateway.auth.UpstreamAuthHeaders;
import io.visca.gateway.contracts.provider.AuthConfig;

/**
 * Test Connection's side of the shared upstream auth ({@link UpstreamAuthHeaders}): the headers that authenticate a
 * call to a provider, as a {@link Uni}, and {@code ${NAME}} references resolved by this service's
 * {@link SecretResolver} (secret files, the environment) at call time; a refused reference sends nothing. OAuth2
 * tokens are fetched with {@link UpstreamWebClient} within the provider's {@link CallTimeouts}, and fresh for every
 * test: a cached token would hide client credentials that stopped working. The shared failures
 * become {@link ProbeFailure}s ({@code missing_secret}, {@code forbidden_secret}, {@code auth}, {@code http_error},
 * ...).
 */
@ApplicationScoped
public class UpstreamAuth {

    private final SecretResolver secrets;
    private final UpstreamWebClient http;

    @Inject
    UpstreamAuth(SecretResolver secrets, UpstreamWebClient http) {
        this.secrets = secrets;
        this.http = http;
    }

    /**
     * @return header name to value; fails with a {@link ProbeFailure} ({@code missing_secret},
     *         {@code forbidden_secret}, or for OAuth2 the token endpoint's failure)
     */
    public Uni<Map<String, String>> headers(AuthConfig auth, CallTimeouts timeouts) {
        UpstreamAuthHeaders headers = new UpstreamAuthHeaders(secrets,
                new OAuth2TokenCache(tokenEndpoint(timeouts), secrets, timeouts.total()));
        return Uni.createFrom().completionStage(() -> headers.headers(auth).toCompletionStage())
                .map(UpstreamAuth::toMap)
                .onFailure().transform(UpstreamAuth::failure);
    }

    /**
     * @param field where the value comes from, e.g. {@code request.headers.X-Tenant}, for the error message
     * @throws ProbeFailure {@code missing_secret} naming the variable when it is not set, {@code forbidden_secret}
     *         naming it and the rule when it is refused
     */
    public String resolve(String field, String value) {
        try {
            return secrets.resolve(field, value);
        } catch (UpstreamAuthException e) {
            throw failure(e);
        }
    }

    /** A shared auth failure in Test Connection's terms; anything else is left to {@link FailureClassifier}. */
    static RuntimeException failure(Throwable cause) {
        if (cause instanceof MissingSecretException missing) {
            return new ProbeFailure(ProbeFailure.MISSING_SECRET, null,
                    missing.getMessage() + " for provider-registry-service");
        }
        if (cause instanceof ForbiddenSecretException forbidden) {
            return new ProbeFailure(ProbeFailure.FORBIDDEN_SECRET, null,
                    forbidden.getMessage() + " (by provider-registry-service); nothing was sent");
        }
        if (cause instanceof UnsupportedAuthTypeException unsupported) {
            return new ProbeFailure(ProbeFailure.AUTH, null, "unsupported auth_type " + unsupported.authType());
        }
        if (cause instanceof TokenRequestException token) {
            return tokenFailure(token);
        }
        return cause instanceof RuntimeException runtime ? runtime : FailureClassifier.classify(cause, "authentication");
    }

    private static ProbeFailure tokenFailure(TokenRequestException token) {
        String call = "token request to " + token.tokenUrl();
        int status = token.status();
        return switch (token.problem()) {
            case UNREACHABLE -> FailureClassifier.classify(token.getCause(), call);
            case ERROR_STATUS -> status == 400 || status == 401 || status == 403
                    ? new ProbeFailure(ProbeFailure.AUTH, status, call + " answered HTTP " + status
                            + ": the token endpoint refused the client credentials")
                    : new ProbeFailure(ProbeFailure.HTTP_ERROR, status, call + " answered HTTP " + status);
            case NOT_JSON -> FailureClassifier.unexpectedBody(status, call, "not JSON");
            case NO_ACCESS_TOKEN -> FailureClassifier.unexpectedBody(status, call, "no access_token");
        };
    }

    private TokenEndpoint tokenEndpoint(CallTimeouts timeouts) {
        return (url, headers, form, timeout) -> {
            Uni<TokenEndpoint.Reply> reply = http.request(HttpMethod.POST, url).chain(target -> {
                HttpRequest<Buffer> request = timeouts.apply(target);
                headers.forEach(request::putHeader);
                return request.sendBuffer(Buffer.buffer(form));
            }).ifNoItem().after(timeout).fail()
                    .map(response -> new TokenEndpoint.Reply(response.statusCode(),
                            response.body() == null ? null : response.body().getDelegate()));
            return Future.fromCompletionStage(reply.subscribeAsCompletionStage());
        };
    }

    private static Map<String, String> toMap(MultiMap headers) {
        Map<String, String> map = new LinkedHashMap<>();
        headers.forEach(map::put);
        return map;
    }
}
