package io.visca.gateway.providers.example;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.providers.ConnectionCheck;
import io.visca.gateway.providers.ListingCheck;
import io.visca.gateway.providers.Listings;
import io.visca.gateway.providers.ModelListing;
import io.visca.gateway.providers.ProviderType;
import io.visca.gateway.providers.Transforms;
import io.visca.gateway.providers.UpstreamCall;

/**
 * {@code example-echo}: a provider type that exists only in tests, registered by this test-jar's own
 * {@code META-INF/services} file, to prove that an added type is picked up by every service without touching them.
 * Its wire format (spoken by {@code io.visca.gateway.fakes.FakeEchoServer}): {@code GET status} is its health,
 * {@code GET /voices} lists {@code {"voices":[{"slug":…}]}}, {@code POST /say} with {@code {"voice","text"}} answers
 * {@code {"said":…}}; every request carries {@code x-echo-version: 1}.
 */
public final class EchoType implements ProviderType {

    public static final String NAME = "example-echo";
    public static final String HEALTH_PATH = "status";
    public static final Map<String, String> HEADERS = Map.of("x-echo-version", "1");

    private static final ModelListing LISTING = new ModelListing(UpstreamCall.get("/voices", HEADERS),
            body -> Listings.field(body, "voices", "slug"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultHealthPath() {
        return HEALTH_PATH;
    }

    @Override
    public Map<String, String> fixedHeaders() {
        return HEADERS;
    }

    @Override
    public ConnectionCheck connectionCheck() {
        return new ListingCheck(LISTING) {
            @Override
            public UpstreamCall chat(ProviderConfig provider, ModelConfig model, Transforms transforms) {
                return new UpstreamCall("POST", "/say", JsonNodeFactory.instance.objectNode()
                        .put("voice", model.upstreamId()).put("text", PROMPT), HEADERS);
            }

            @Override
            public String checkChat(ProviderConfig provider, JsonNode body, Transforms transforms) {
                return body.path("said").isTextual() ? null : "no said text";
            }
        };
    }

    @Override
    public Optional<ModelListing> modelListing() {
        return Optional.of(LISTING);
    }
}
