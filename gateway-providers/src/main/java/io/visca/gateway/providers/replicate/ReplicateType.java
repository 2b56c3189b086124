package io.visca.gateway.providers.replicate;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.providers.ConnectionCheck;
import io.visca.gateway.providers.ProviderType;
import io.visca.gateway.providers.Transforms;
import io.visca.gateway.providers.UpstreamCall;

/**
 * {@code replicate}: Replicate's predictions API. It has no model listing. The health probe is {@code GET account}
 * (the base URL carries {@code /v1}), which checks the token and is not billed, unlike any prediction; Test
 * Connection checks only reachability and auth, since a prediction is billed and may cold-start for minutes.
 */
public final class ReplicateType implements ProviderType {

    /** The {@code type} of a provider document of this type. */
    public static final String NAME = "replicate";

    private static final Pattern MODEL = Pattern.compile("([\\w.-]+/[\\w.-]+)(:\\w+)?");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int listOrder() {
        return 50;
    }

    @Override
    public String defaultHealthPath() {
        return "account";
    }

    @Override
    public ConnectionCheck connectionCheck() {
        return new ConnectionCheck() {
            /** The first model's page ({@code owner/name}), else the account. */
            @Override
            public UpstreamCall first(ProviderConfig provider) {
                Matcher matcher = provider.models().isEmpty() ? null
                        : MODEL.matcher(provider.models().get(0).upstreamId());
                String path = matcher != null && matcher.matches() ? "/models/" + matcher.group(1) : "/account";
                return UpstreamCall.get(path, Map.of());
            }

            @Override
            public String modelsNote() {
                return "replicate has no model listing; checked that the endpoint answers and accepts the credentials";
            }

            @Override
            public UpstreamCall chat(ProviderConfig provider, ModelConfig model, Transforms transforms) {
                return null;
            }

            @Override
            public String chatNote() {
                return "not attempted for replicate: a prediction is billed and may wait for a cold start";
            }

            @Override
            public String checkChat(ProviderConfig provider, JsonNode body, Transforms transforms) {
                return null;
            }
        };
    }
}
