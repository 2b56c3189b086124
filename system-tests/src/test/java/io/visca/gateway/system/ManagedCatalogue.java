package io.visca.gateway.system;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads the repository's managed-providers catalogue, the way the test needs it. */
final class ManagedCatalogue {

    /** Where the repository keeps it, from the project root. */
    static final String PATH = "provider-registry-service/src/main/resources/managed/managed-providers.json";
    /** The variable that replaces it per deployment. */
    static final String FILE_VARIABLE = "GATEWAY_MANAGED_PROVIDERS_FILE";

    private ManagedCatalogue() {
    }

    static JsonNode provider(JsonNode catalogue, String name) {
        for (JsonNode provider : catalogue.path("providers")) {
            if (name.equals(provider.path("name").asText())) {
                return provider;
            }
        }
        throw new AssertionError("no provider " + name + " in the catalogue");
    }

    static String[] modelIds(JsonNode catalogue, String name) {
        List<String> ids = new ArrayList<>();
        provider(catalogue, name).path("models").forEach(m -> ids.add(m.path("id").asText()));
        return ids.toArray(String[]::new);
    }

    /** The ids the upstream knows the models by. */
    static String[] upstreamIds(JsonNode catalogue, String name) {
        List<String> ids = new ArrayList<>();
        provider(catalogue, name).path("models").forEach(m -> ids.add(m.hasNonNull("upstream_model")
                ? m.path("upstream_model").asText()
                : m.path("id").asText()));
        return ids.toArray(String[]::new);
    }

    static JsonNode pointedAt(JsonNode catalogue, Map<String, String> baseUrls) {
        JsonNode copy = catalogue.deepCopy();
        for (JsonNode provider : copy.path("providers")) {
            String url = baseUrls.get(provider.path("name").asText());
            if (url != null) {
                ((ObjectNode) provider).put("base_url", url);
                ((ObjectNode) provider).remove("endpoints");
            }
        }
        return copy;
    }

    /** {@code provider/model} to its input and output price per 1k tokens, chat models only. */
    static Map<String, BigDecimal[]> chatPrices(JsonNode catalogue) {
        Map<String, BigDecimal[]> prices = new HashMap<>();
        for (JsonNode provider : catalogue.path("providers")) {
            for (JsonNode model : (ArrayNode) provider.path("models")) {
                String mode = model.path("mode").asText("chat");
                if (!"chat".equals(mode) || model.path("id").asText().contains("embed")) {
                    continue;
                }
                prices.put(provider.path("name").asText() + "/" + model.path("id").asText(), new BigDecimal[] {
                        new BigDecimal(model.path("cost_per_1k_input").asText()),
                        new BigDecimal(model.path("cost_per_1k_output").asText()) });
            }
        }
        return prices;
    }

    /**
     * The router's cost-optimized pick: estimated prompt tokens × input price + the assumed 256 completion
     * tokens × output price (the page's request sets no max_tokens); a prompt of a few tokens either way does
     * not change the order of these prices.
     */
    static String cheapest(Map<String, BigDecimal[]> prices, List<String> providers) {
        String best = null;
        BigDecimal bestCost = null;
        for (Map.Entry<String, BigDecimal[]> entry : prices.entrySet()) {
            if (!providers.contains(entry.getKey().substring(0, entry.getKey().indexOf('/')))) {
                continue;
            }
            BigDecimal cost = entry.getValue()[0].multiply(BigDecimal.valueOf(10))
                    .add(entry.getValue()[1].multiply(BigDecimal.valueOf(256)));
            if (bestCost == null || cost.compareTo(bestCost) < 0) {
                best = entry.getKey();
                bestCost = cost;
            }
        }
        return best;
    }
}
