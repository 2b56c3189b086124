package io.visca.gateway.providers;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;

/**
 * What "Test Connection" sends to an endpoint of one type, in that type's real wire format, and how it reads the
 * answers: a first request (the model listing, or a reachability request for types without one) and a one-token chat.
 * The registry sends them with its own client, with the provider's auth.
 */
public interface ConnectionCheck {

    /** The prompt of the one-token chat. */
    String PROMPT = "ping";

    /** The first request: a model listing, a reachability request, or null (the chat is the only call). */
    UpstreamCall first(ProviderConfig provider);

    /** Whether {@link #first}'s answer lists models ({@link #modelIds}); else {@link #modelsNote} says why not. */
    default boolean lists() {
        return false;
    }

    default String modelsNote() {
        return null;
    }

    /**
     * The model ids in the first answer's body.
     *
     * @throws IllegalArgumentException when it is not a listing
     */
    default List<String> modelIds(JsonNode body) {
        return List.of();
    }

    /**
     * The one-token chat to {@code model}, or null when the type sends none ({@link #chatNote} says why).
     *
     * @param transforms runs the provider's own transforms ({@code custom})
     * @throws CheckFailure when the request cannot be made (nothing is sent)
     */
    UpstreamCall chat(ProviderConfig provider, ModelConfig model, Transforms transforms);

    default String chatNote() {
        return null;
    }

    /** @return null when the chat's answer has the type's shape, else what is missing */
    String checkChat(ProviderConfig provider, JsonNode body, Transforms transforms);
}
