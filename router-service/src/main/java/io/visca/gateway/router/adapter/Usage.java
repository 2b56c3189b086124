package io.visca.gateway.router.adapter;

import java.math.BigDecimal;

/**
 * Token usage of one call, filled by the adapter from the upstream's report; where the upstream reports nothing, the
 * router estimates and sets {@link #estimated}.
 */
public final class Usage {

    public long promptTokens = -1;
    public long completionTokens = -1;
    public long cachedTokens;
    public boolean estimated;
    /** The upstream's own cost figure when it sends one (kept for reconciliation), else null. */
    public BigDecimal reportedCost;

    public boolean complete() {
        return promptTokens >= 0 && completionTokens >= 0;
    }

    public void set(long prompt, long completion, long cached) {
        this.promptTokens = prompt;
        this.completionTokens = completion;
        this.cachedTokens = cached;
    }
}
