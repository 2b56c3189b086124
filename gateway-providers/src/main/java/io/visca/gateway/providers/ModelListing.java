package io.visca.gateway.providers;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A type's model listing: the request (the one Test Connection makes first) and how its answer becomes model ids.
 * The answer is not trusted: the caller bounds the body it reads and keeps only the ids its own rules accept; the
 * parser reads at most {@link #MAX_ITEMS} items.
 *
 * @param parser the model ids of a listing's body, in its order; throws {@link IllegalArgumentException} saying what
 *        is missing when the body is not such a listing
 */
public record ModelListing(UpstreamCall request, Function<JsonNode, List<String>> parser) {

    /** The most items one listing's parser reads; the rest are ignored. */
    public static final int MAX_ITEMS = 10_000;

    /**
     * The model ids of a listing's body.
     *
     * @throws IllegalArgumentException when the body is not such a listing
     */
    public List<String> ids(JsonNode body) {
        return parser.apply(body);
    }
}
