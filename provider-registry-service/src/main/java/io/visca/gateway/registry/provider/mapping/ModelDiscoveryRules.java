package io.visca.gateway.registry.provider.mapping;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.providers.KnownProviderTypes;
import io.visca.gateway.providers.ProviderType;

/**
 * Which providers take their models from their endpoints' model listing (a provider saved without {@code models}
 * whose type lists them), and what of a listing is believed: an upstream's answer is not trusted, so only ids a
 * client could send ({@link ModelsParser#MODEL_ID}, not {@code auto}) are kept, each once, at most
 * {@link ModelsParser#MAX_MODELS} of them; anything else in the listing is ignored.
 */
public final class ModelDiscoveryRules {

    public static final int MAX_MODELS = ModelsParser.MAX_MODELS;

    private ModelDiscoveryRules() {
    }

    /**
     * The types whose upstream lists its models ({@link ProviderType#modelListing()}, as Test Connection reads them:
     * openai-compatible {@code GET /models}, anthropic {@code GET /v1/models}, ollama {@code GET /api/tags}, tgi
     * {@code GET /info}), sorted by name. Replicate and custom have no listing, so they need {@code models}.
     */
    public static List<String> listableTypes() {
        return KnownProviderTypes.all().stream().filter(t -> t.modelListing().isPresent()).map(ProviderType::name)
                .sorted().toList();
    }

    /** Whether a provider of this type may leave {@code models} out. */
    public static boolean listable(String type) {
        return KnownProviderTypes.find(type).flatMap(ProviderType::modelListing).isPresent();
    }

    /** Whether this stored document's models come from discovery: it has none of its own and its type lists them. */
    public static boolean discovers(ProviderConfig config) {
        return config.models().isEmpty() && listable(config.type());
    }

    /** The ids of a listing that pass, in the listing's order, without repeats, at most {@link #MAX_MODELS}. */
    public static List<String> acceptedIds(List<String> listed) {
        Set<String> kept = new LinkedHashSet<>();
        for (String id : listed) {
            if (kept.size() == MAX_MODELS) {
                break;
            }
            if (id != null && ModelsParser.MODEL_ID.matcher(id).matches() && !ModelsParser.RESERVED_ID.equals(id)) {
                kept.add(id);
            }
        }
        return new ArrayList<>(kept);
    }

    /** A discovered model: its id as listed, no prices, the mode ModelsParser would derive from the id. */
    public static ModelConfig model(String id) {
        String mode = id.toLowerCase(Locale.ROOT).contains("embed") ? ModelConfig.EMBEDDING : ModelConfig.CHAT;
        return new ModelConfig(id, null, null, mode, null, null, null, null);
    }
}
