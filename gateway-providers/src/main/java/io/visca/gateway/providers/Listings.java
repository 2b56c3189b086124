package io.visca.gateway.providers;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the types' listings and chats share: reading an array of items, the one-token chat's body. */
public final class Listings {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Listings() {
    }

    /**
     * The textual {@code field} of each item of the body's {@code array}, at most {@link ModelListing#MAX_ITEMS}
     * items read.
     *
     * @throws IllegalArgumentException when the body has no such array: it is not a listing
     */
    public static List<String> field(JsonNode body, String array, String field) {
        JsonNode items = body.path(array);
        if (!items.isArray()) {
            throw new IllegalArgumentException("no " + array + " array");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < items.size() && i < ModelListing.MAX_ITEMS; i++) {
            JsonNode id = items.get(i).path(field);
            if (id.isTextual()) {
                ids.add(id.textValue());
            }
        }
        return ids;
    }

    /** An OpenAI-shaped chat of one user message, {@link ConnectionCheck#PROMPT}, to {@code model}. */
    public static ObjectNode chatRequest(String model) {
        ObjectNode body = NODES.objectNode().put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", ConnectionCheck.PROMPT);
        return body;
    }
}
