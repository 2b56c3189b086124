package io.visca.gateway.providers.ollama;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * {@code ollama}: Ollama's native API. The health probe GETs the base URL's directory ("Ollama is running"); the
 * listing is {@code GET /api/tags}.
 */
public final class OllamaType implements ProviderType {

    /** The {@code type} of a provider document of this type. */
    public static final String NAME = "ollama";

    private static final ModelListing LISTING = new ModelListing(UpstreamCall.get("/api/tags", Map.of()),
            body -> Listings.field(body, "models", "name"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int listOrder() {
        return 30;
    }

    @Override
    public String defaultHealthPath() {
        return "./";
    }

    @Override
    public ConnectionCheck connectionCheck() {
        return new ListingCheck(LISTING) {
            @Override
            public UpstreamCall chat(ProviderConfig provider, ModelConfig model, Transforms transforms) {
                ObjectNode body = Listings.chatRequest(model.upstreamId()).put("stream", false);
                body.putObject("options").put("num_predict", 1);
                return new UpstreamCall("POST", "/api/chat", body, Map.of());
            }

            @Override
            public String checkChat(ProviderConfig provider, JsonNode body, Transforms transforms) {
                return body.path("message").isObject() ? null : "no message object";
            }
        };
    }

    @Override
    public Optional<ModelListing> modelListing() {
        return Optional.of(LISTING);
    }
}
