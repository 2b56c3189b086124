package io.visca.gateway.providers.openai;

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
 * {@code openai-compatible}: OpenAI's API and everything that speaks it (vLLM, LocalAI, LM Studio, Together...). The
 * base URL carries {@code /v1}; the health probe and the listing are {@code GET models}.
 */
public final class OpenAiCompatibleType implements ProviderType {

    /** The {@code type} of a provider document of this type. */
    public static final String NAME = "openai-compatible";

    private static final ModelListing LISTING = new ModelListing(UpstreamCall.get("/models", Map.of()),
            body -> Listings.field(body, "data", "id"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int listOrder() {
        return 10;
    }

    @Override
    public String defaultHealthPath() {
        return "models";
    }

    @Override
    public ConnectionCheck connectionCheck() {
        return new ListingCheck(LISTING) {
            @Override
            public UpstreamCall chat(ProviderConfig provider, ModelConfig model, Transforms transforms) {
                return new UpstreamCall("POST", "/chat/completions", Listings.chatRequest(model.upstreamId())
                        .put("max_tokens", 1).put("stream", false), Map.of());
            }

            @Override
            public String checkChat(ProviderConfig provider, JsonNode body, Transforms transforms) {
                return body.path("choices").isArray() ? null : "no choices array";
            }
        };
    }

    @Override
    public Optional<ModelListing> modelListing() {
        return Optional.of(LISTING);
    }
}
