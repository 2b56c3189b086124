package io.visca.gateway.registry.provider.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.MultiMap;
import io.visca.gateway.contracts.provider.AuthConfig;

/**
 * The headers that authenticate a call to a provider: bearer, a named header, Basic, or an OAuth2
 * client-credentials token fetched from {@code token_url} (form POST, client authenticated with HTTP Basic as RFC
 * 6749 section 2.3.1 requires servers to support). Secrets are resolved at call time and never leave the headers.
 */
@ApplicationScoped
public class UpstreamAuth {

    private final SecretResolver secrets;
    private final UpstreamWebClient http;
    private final ObjectMapper json;

    UpstreamAuth(SecretResolver secrets, UpstreamWebClient http, ObjectMapper json) {
        this.secrets = secrets;
        this.http = http;
        this.json = json;
    }

    /**
     * @return header name to value; fails with a {@link ProbeFailure} ({@code missing_secret}, or for OAuth2 the
     *         token endpoint's failure)
     */
    public Uni<Map<String, String>> headers(AuthConfig auth, CallTimeouts timeouts) {
        if (auth == null || AuthConfig.NONE.equals(auth.authType())) {
            return Uni.createFrom().item(Map.of());
        }
        try {
            return switch (auth.authType()) {
                case AuthConfig.BEARER -> Uni.createFrom().item(
                        Map.of("Authorization", "Bearer " + secrets.resolve(auth.apiKey(), "auth.api_key")));
                case AuthConfig.HEADER -> Uni.createFrom().item(
                        Map.of(auth.headerName(), secrets.resolve(auth.apiKey(), "auth.api_key")));
                case AuthConfig.BASIC -> Uni.createFrom().item(Map.of("Authorization", basic(
                        secrets.resolve(auth.username(), "auth.username"),
                        secrets.resolve(auth.password(), "auth.password"))));
                case AuthConfig.OAUTH2_CLIENT_CREDENTIALS -> token(auth, timeouts)
                        .map(token -> Map.of("Authorization", "Bearer " + token));
                default -> Uni.createFrom().failure(new ProbeFailure(ProbeFailure.AUTH, null,
                        "unsupported auth_type " + auth.authType()));
            };
        } catch (ProbeFailure e) {
            return Uni.createFrom().failure(e);
        }
    }

    private Uni<String> token(AuthConfig auth, CallTimeouts timeouts) {
        String clientId = secrets.resolve(auth.clientId(), "auth.client_id");
        String clientSecret = secrets.resolve(auth.clientSecret(), "auth.client_secret");
        MultiMap form = MultiMap.caseInsensitiveMultiMap().add("grant_type", "client_credentials");
        if (auth.scope() != null && !auth.scope().isBlank()) {
            form.add("scope", auth.scope());
        }
        String call = "token request to " + auth.tokenUrl();
        return timeouts.apply(http.get().postAbs(auth.tokenUrl()))
                .putHeader("Authorization", basic(clientId, clientSecret))
                .putHeader("Accept", "application/json")
                .sendForm(form)
                .ifNoItem().after(timeouts.total()).fail()
                .onFailure().transform(failure -> FailureClassifier.classify(failure, call))
                .map(response -> {
                    int status = response.statusCode();
                    if (status == 400 || status == 401 || status == 403) {
                        throw new ProbeFailure(ProbeFailure.AUTH, status, call + " answered HTTP " + status
                                + ": the token endpoint refused the client credentials");
                    }
                    if (status < 200 || status > 299) {
                        throw new ProbeFailure(ProbeFailure.HTTP_ERROR, status, call + " answered HTTP " + status);
                    }
                    try {
                        JsonNode token = json.readTree(response.bodyAsString()).path("access_token");
                        if (!token.isTextual() || token.textValue().isBlank()) {
                            throw FailureClassifier.unexpectedBody(status, call, "no access_token");
                        }
                        return token.textValue();
                    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                        throw FailureClassifier.unexpectedBody(status, call, "not JSON");
                    }
                });
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
