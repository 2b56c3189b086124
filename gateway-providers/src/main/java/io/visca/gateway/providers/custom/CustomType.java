package io.visca.gateway.providers.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.providers.CheckFailure;
import io.visca.gateway.providers.ConnectionCheck;
import io.visca.gateway.providers.Listings;
import io.visca.gateway.providers.ProviderType;
import io.visca.gateway.providers.Transforms;
import io.visca.gateway.providers.UpstreamCall;

/**
 * {@code custom}: any HTTP model API, described by the document's own {@code request} (method, path, headers) and
 * {@code transform} (jq programs from the OpenAI request and to the OpenAI response). No model listing; without a
 * {@code health_check.endpoint} the probe GETs the base URL itself and any answer below 500 means reachable. Test
 * Connection sends the configured request, its body made by the request transform from a one-token chat.
 */
public final class CustomType implements ProviderType {

    /** The {@code type} of a provider document of this type. */
    public static final String NAME = "custom";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int listOrder() {
        return 60;
    }

    @Override
    public String defaultHealthPath() {
        return null;
    }

    @Override
    public boolean takesRequestAndTransform() {
        return true;
    }

    @Override
    public ConnectionCheck connectionCheck() {
        return new ConnectionCheck() {
            @Override
            public UpstreamCall first(ProviderConfig provider) {
                return null;
            }

            @Override
            public String modelsNote() {
                return "custom providers have no model listing";
            }

            @Override
            public UpstreamCall chat(ProviderConfig provider, ModelConfig model, Transforms transforms) {
                ObjectNode chat = Listings.chatRequest(model.upstreamId()).put("max_tokens", 1);
                JsonNode body = null;
                if (!"GET".equals(provider.request().method())) {
                    try {
                        body = transforms.apply(provider.transform().request(), chat);
                    } catch (Exception e) {
                        throw new CheckFailure("the jq request transform failed on a one-token chat"
                                + transforms.said(e));
                    }
                }
                return new UpstreamCall(provider.request().method(), provider.request().path(), body,
                        provider.request().headers());
            }

            @Override
            public String checkChat(ProviderConfig provider, JsonNode body, Transforms transforms) {
                try {
                    JsonNode mapped = transforms.apply(provider.transform().response(), body);
                    return mapped.isObject() ? null : "the jq response transform did not produce an object";
                } catch (Exception e) {
                    return "the jq response transform failed on the upstream's answer" + transforms.said(e);
                }
            }
        };
    }
}
