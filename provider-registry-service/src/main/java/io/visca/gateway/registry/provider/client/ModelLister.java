package io.visca.gateway.registry.provider.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.auth.SealedSecrets;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.providers.KnownProviderTypes;
import io.visca.gateway.providers.ModelListing;
import io.visca.gateway.providers.ProviderType;
import io.visca.gateway.providers.UnknownProviderTypeException;
import io.visca.gateway.providers.UpstreamCall;
import io.visca.gateway.registry.config.RegistryConfig;
import io.visca.gateway.registry.provider.mapping.ModelDiscoveryRules;

/**
 * Model discovery's upstream call: each endpoint's model listing as its type's package says
 * ({@link ProviderType#modelListing()}, the request Test Connection makes first), through the same client
 * ({@link UpstreamWebClient}: outbound URL policy, no redirects), the
 * same auth ({@link UpstreamAuth}: secrets resolved at call time) and the provider's timeouts capped by
 * {@code registry.discovery.timeout}. The answer is not trusted: a body over {@link #MAX_BODY_BYTES} fails the
 * listing, and only the ids {@link ModelDiscoveryRules#acceptedIds} lets through are kept.
 */
@ApplicationScoped
public class ModelLister {

    /** The largest listing read; a longer answer fails that endpoint's listing. */
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    /**
     * One endpoint's listing.
     *
     * @param models the ids kept, or null when the listing failed
     * @param failure why it failed (a sentence with no secret and no upstream body), or null
     */
    public record Listing(String endpointId, String baseUrl, List<String> models, String failure) {

        public boolean ok() {
            return failure == null;
        }
    }

    private final UpstreamWebClient http;
    private final UpstreamAuth auth;
    private final ObjectMapper json;
    private final RegistryConfig config;

    ModelLister(UpstreamWebClient http, UpstreamAuth auth, ObjectMapper json, RegistryConfig config) {
        this.http = http;
        this.auth = auth;
        this.json = json;
        this.config = config;
    }

    /** Lists every endpoint in parallel; never fails: an endpoint that could not be listed says why. */
    public Uni<List<Listing>> list(SealedSecrets.Opened opened) {
        ProviderConfig provider = opened.config();
        CallTimeouts timeouts = CallTimeouts.of(provider.timeouts(), config.discovery().timeout(),
                config.testConnection().connectTimeout());
        Optional<ProviderType> type = KnownProviderTypes.find(provider.type());
        ModelListing listing = type.flatMap(ProviderType::modelListing).orElse(null);
        if (listing == null || provider.endpoints().isEmpty()) {
            String why = type.isEmpty()
                    ? new UnknownProviderTypeException(provider.type(), KnownProviderTypes.names()).getMessage()
                    : "type " + provider.type() + " has no model listing";
            return Uni.createFrom().item(provider.endpoints().stream().map(e -> failed(e, why)).toList());
        }
        Uni<Map<String, String>> authHeaders = opened.problem() == null ? auth.headers(provider.auth(), timeouts)
                : Uni.createFrom().failure(new ProbeFailure(ProbeFailure.MISSING_SECRET, null, opened.problem()
                        + " (in provider-registry-service)"));
        return authHeaders
                .chain(headers -> Uni.join().all(provider.endpoints().stream()
                        .map(endpoint -> listOne(endpoint, listing, headers, timeouts)).toList()).andFailFast())
                .onFailure().recoverWithItem(failure -> {
                    String why = FailureClassifier.classify(failure, "authentication").detail();
                    return provider.endpoints().stream().map(e -> failed(e, why)).toList();
                });
    }

    private Uni<Listing> listOne(EndpointConfig endpoint, ModelListing listing, Map<String, String> authHeaders,
            CallTimeouts timeouts) {
        UpstreamCall call = listing.request();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        call.headers().forEach((name, value) -> headers.put(name, auth.resolve("request.headers." + name, value)));
        headers.putAll(authHeaders);
        String url = endpoint.baseUrl() + call.path();
        return http.request(HttpMethod.GET, url)
                .chain(target -> {
                    var request = timeouts.apply(target).putHeader("Accept", "application/json");
                    headers.forEach(request::putHeader);
                    return request.as(BoundedBody.atMost(MAX_BODY_BYTES)).send();
                })
                .ifNoItem().after(timeouts.total()).fail()
                .map(response -> {
                    if (response.statusCode() < 200 || response.statusCode() > 299) {
                        return failed(endpoint, FailureClassifier.forStatus(response.statusCode(), call.describe())
                                .detail());
                    }
                    try {
                        List<String> ids = listing.ids(parse(response.body()));
                        return new Listing(endpoint.id(), endpoint.baseUrl(), ModelDiscoveryRules.acceptedIds(ids),
                                null);
                    } catch (IllegalArgumentException e) {
                        return failed(endpoint, FailureClassifier.unexpectedBody(response.statusCode(),
                                call.describe(), e.getMessage()).detail());
                    }
                })
                .onFailure().recoverWithItem(failure -> failed(endpoint,
                        FailureClassifier.classify(failure, call.describe()).detail()));
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("empty body");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
    }

    private static Listing failed(EndpointConfig endpoint, String why) {
        return new Listing(endpoint.id(), endpoint.baseUrl(), null, why);
    }
}
