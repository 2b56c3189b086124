package io.visca.gateway.contracts.provider;

import java.math.BigDecimal;

/**
 * A model a provider serves, under the id clients use.
 *
 * @param upstreamModel the id sent upstream when it differs from {@link #id()}
 * @param mode {@code chat}, {@code completion} or {@code embedding}
 * @param contextWindow tokens; null when unknown
 */
public record ModelConfig(
        String id,
        String name,
        String upstreamModel,
        String mode,
        Integer contextWindow,
        BigDecimal costPer1kInput,
        BigDecimal costPer1kOutput,
        BigDecimal costPer1kCachedInput) {

    public static final String CHAT = "chat";
    public static final String COMPLETION = "completion";
    public static final String EMBEDDING = "embedding";
    public static final java.util.List<String> MODES = java.util.List.of(CHAT, COMPLETION, EMBEDDING);

    /** The model id to send upstream. */
    public String upstreamId() {
        return upstreamModel == null || upstreamModel.isBlank() ? id : upstreamModel;
    }
}
