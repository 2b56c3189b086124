package io.visca.gateway.router.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.router.adapter.Usage;

/**
 * Prices usage from a model's configured prices per 1,000 tokens, in exact decimal arithmetic: cached prompt tokens at
 * {@code cost_per_1k_cached_input} (the input price when none is set), the rest of the prompt at
 * {@code cost_per_1k_input}, completion tokens at {@code cost_per_1k_output}. USD, 10 decimal places.
 */
public final class Pricing {

    private static final int SCALE = 10;

    private Pricing() {
    }

    /** Input, output and their total, in USD. */
    public record Cost(BigDecimal input, BigDecimal output, BigDecimal total) {
    }

    /** @return the cost, or null when the model has neither an input nor an output price */
    public static Cost of(ModelConfig model, Usage usage) {
        if (model.costPer1kInput() == null && model.costPer1kOutput() == null) {
            return null;
        }
        long prompt = Math.max(0, usage.promptTokens);
        long cached = Math.min(prompt, Math.max(0, usage.cachedTokens));
        BigDecimal inputPrice = orZero(model.costPer1kInput());
        BigDecimal cachedPrice = model.costPer1kCachedInput() == null ? inputPrice : model.costPer1kCachedInput();
        BigDecimal input = perThousand(inputPrice, prompt - cached).add(perThousand(cachedPrice, cached));
        BigDecimal output = perThousand(orZero(model.costPer1kOutput()), Math.max(0, usage.completionTokens));
        return new Cost(input.setScale(SCALE, RoundingMode.HALF_EVEN), output.setScale(SCALE, RoundingMode.HALF_EVEN),
                input.add(output).setScale(SCALE, RoundingMode.HALF_EVEN));
    }

    private static BigDecimal perThousand(BigDecimal price, long tokens) {
        return price.multiply(BigDecimal.valueOf(tokens)).movePointLeft(3); // exact, and cheaper than a divide
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
