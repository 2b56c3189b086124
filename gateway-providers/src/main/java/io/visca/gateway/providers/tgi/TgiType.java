package io.visca.gateway.providers.tgi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.providers.ConnectionCheck;
import io.visca.gateway.providers.ListingCheck;
import io.visca.gateway.providers.ModelListing;
import io.visca.gateway.providers.ProviderType;
import io.visca.gateway.providers.Transforms;
import io.visca.gateway.providers.UpstreamCall;

/**
 * {@code tgi}: Hugging Face Text Generation Inference, one model per server. The health probe is
 * {@code GET health}; the "listing" is {@code GET /info}'s {@code model_id}.
 */
public final class TgiType implements ProviderType {

    /** The {@code type} of a provider document of this type. */
    public static final String NAME = "tgi";

    private static final ModelListing LISTING = new ModelListing(UpstreamCall.get("/info", Map.of()), TgiType::modelId);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int listOrder() {
        return 40;
    }

    @Override
    public String defaultHealthPath() {
        return "health";
    }

    @Override
    public ConnectionCheck connectionCheck() {
        return new ListingCheck(LISTING) {
            @Override
            public UpstreamCall chat(ProviderConfig provider, ModelConfig model, Transforms transforms) {
                ObjectNode body = JsonNodeFactory.instance.objectNode().put("inputs", PROMPT);
                body.putObject("parameters").put("max_new_tokens", 1);
                return new UpstreamCall("POST", "/generate", body, Map.of());
            }

            @Override
            public String checkChat(ProviderConfig provider, JsonNode body, Transforms transforms) {
                return body.path("generated_text").isTextual() ? null : "no generated_text";
            }
        };
    }

    @Override
    public Optional<ModelListing> modelListing() {
        return Optional.of(LISTING);
    }

    private static List<String> modelId(JsonNode body) {
        if (!body.path("model_id").isTextual()) {
            throw new IllegalArgumentException("no model_id");
        }
        return List.of(body.path("model_id").textValue());
    }
}
