package io.visca.gateway.providers.anthropic;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

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
 * {@code anthropic}: Anthropic's Messages API. The base URL has no {@code /v1}; the health probe and the listing are
 * {@code GET v1/models}, and every request carries {@code anthropic-version}.
 */
public final class AnthropicType implements ProviderType {

    /** The {@code type} of a provider document of this type. */
    public static final String NAME = "anthropic";

    /** Anthropic's API answers 400 without it; the version its Models API has had since it exists. */
    public static final String VERSION = "2023-06-01";
    public static final Map<String, String> HEADERS = Map.of("anthropic-version", VERSION);

    private static final ModelListing LISTING = new ModelListing(UpstreamCall.get("/v1/models", HEADERS),
            body -> Listings.field(body, "data", "id"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int listOrder() {
        return 20;
    }

    @Override
    public String defaultHealthPath() {
        return "v1/models";
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
                return new UpstreamCall("POST", "/v1/messages", Listings.chatRequest(model.upstreamId())
                        .put("max_tokens", 1), HEADERS);
            }

            @Override
            public String checkChat(ProviderConfig provider, JsonNode body, Transforms transforms) {
                return body.path("content").isArray() ? null : "no content array";
            }
        };
    }

    @Override
    public Optional<ModelListing> modelListing() {
        return Optional.of(LISTING);
    }
}
