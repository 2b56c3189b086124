package io.visca.gateway.jq;

import com.fasterxml.jackson.databind.JsonNode;

import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.path.ArrayIndexPath;
import net.thisptr.jackson.jq.path.ArrayRangeIndexPath;
import net.thisptr.jackson.jq.path.Path;

/**
 * Wraps every node of a compiled program ({@link Instrumenter}): each evaluation of the node and each value it
 * produces is a step of the running {@link JqBudget}. Some nodes are about to build a value whose size their input
 * decides in one go; those reserve its estimated size first:
 * <ul>
 * <li>{@link Mode#SERIALIZES_INPUT}: {@code tostring}, {@code tojson}, {@code @base64} and the other formats,
 * {@code join}, {@code add}, {@code flatten}... (their input's size, counted with sharing unfolded);
 * <li>{@link Mode#SERIALIZES_OUTPUT}: the parts of a string interpolation, about to be written into the string;
 * <li>{@link Mode#PATH_ARRAY}: the path argument of {@code setpath}, whose indexes pad an array with nulls.
 * </ul>
 * Paths produced in path mode (the left side of {@code =}, {@code |=}...) have their array indexes checked too.
 */
final class Guard implements Expression {

    enum Mode {
        PLAIN,
        SERIALIZES_INPUT,
        SERIALIZES_OUTPUT,
        PATH_ARRAY
    }

    private static final int BIG_STRING = 4096;
    private static final int BIG_CONTAINER = 512;

    private final Expression inner;
    private Mode mode = Mode.PLAIN;

    Guard(Expression inner) {
        this.inner = inner;
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    Expression inner() {
        return inner;
    }

    @Override
    public void apply(Scope scope, JsonNode in, Path ipath, PathOutput output, boolean requirePath)
            throws JsonQueryException {
        JqBudget budget = JqBudget.current();
        if (budget == null) {
            inner.apply(scope, in, ipath, output, requirePath);
            return;
        }
        budget.step();
        if (mode == Mode.SERIALIZES_INPUT) {
            budget.reserve(JqBudget.deepSize(in, budget.remaining() + 1));
        }
        inner.apply(scope, in, ipath, (out, path) -> {
            budget.step();
            if (out != null && (out.isTextual() ? out.textValue().length() >= BIG_STRING
                    : out.isContainerNode() && out.size() >= BIG_CONTAINER)) {
                budget.check(); // a large value: memory now, not at the next periodic check (". + ." doubles)
            }
            if (path != null) {
                checkPath(budget, path);
            }
            if (mode == Mode.SERIALIZES_OUTPUT && out != null) {
                budget.reserve(JqBudget.deepSize(out, budget.remaining() + 1));
            } else if (mode == Mode.PATH_ARRAY && out != null && out.isArray()) {
                for (JsonNode element : out) {
                    if (element.isNumber()) {
                        budget.index(element.asDouble());
                    }
                }
            }
            output.emit(out, path);
        }, requirePath);
    }

    private static void checkPath(JqBudget budget, Path path) {
        if (path instanceof ArrayIndexPath index) {
            budget.index(index.index.asDouble());
        } else if (path instanceof ArrayRangeIndexPath range) {
            if (range.start != null && range.start.isNumber()) {
                budget.index(range.start.asDouble());
            }
            if (range.end != null && range.end.isNumber()) {
                budget.index(range.end.asDouble());
            }
        }
    }

    @Override
    public String toString() {
        return inner.toString();
    }
}
