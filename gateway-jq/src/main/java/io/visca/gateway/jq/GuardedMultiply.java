package io.visca.gateway.jq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.operators.BinaryOperator;

/** jq's {@code *}, which repeats a string {@code n} times: the result's size is reserved before it is built. */
final class GuardedMultiply implements BinaryOperator {

    private final BinaryOperator inner;

    GuardedMultiply(BinaryOperator inner) {
        this.inner = inner;
    }

    @Override
    public JsonNode apply(ObjectMapper mapper, JsonNode lhs, JsonNode rhs) throws JsonQueryException {
        JqBudget budget = JqBudget.current();
        if (budget != null) {
            if (lhs.isTextual() && rhs.isNumber()) {
                reserve(budget, lhs.textValue().length(), rhs.asDouble());
            } else if (lhs.isNumber() && rhs.isTextual()) {
                reserve(budget, rhs.textValue().length(), lhs.asDouble());
            }
        }
        return inner.apply(mapper, lhs, rhs);
    }

    private static void reserve(JqBudget budget, int length, double count) {
        if (count >= 2) {
            double bytes = length * Math.min(count, Integer.MAX_VALUE);
            budget.reserve(bytes > Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) bytes);
        }
    }

    @Override
    public String image() {
        return inner.image();
    }
}
