package io.visca.gateway.billing.finance.mapping;

import java.math.BigDecimal;

/**
 * How the API writes USD amounts: exact decimal strings, never floating point. Trailing zeros are dropped down to
 * two decimals ({@code "0.00"}, {@code "12.50"}, {@code "0.0000031"}); nothing is ever rounded.
 */
public final class Money {

    private Money() {
    }

    public static String format(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        return (stripped.scale() < 2 ? stripped.setScale(2) : stripped).toPlainString();
    }

    /** {@link #format} of a sum that may be null (no rows): zero then. */
    public static String sum(Object amount) {
        return format(amount == null ? BigDecimal.ZERO : (BigDecimal) amount);
    }
}
