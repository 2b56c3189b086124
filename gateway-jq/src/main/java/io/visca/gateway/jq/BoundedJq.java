package io.visca.gateway.jq;

import com.fasterxml.jackson.databind.JsonNode;

import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * A jq program (jq 1.6 semantics, as jackson-jq implements them) compiled once and evaluated any number of times,
 * each evaluation within {@link JqLimits}. Thread-safe: the compiled tree is immutable after {@link #compile} and
 * each evaluation counts on its own thread.
 */
public final class BoundedJq {

    public static final String LANGUAGE = "jq";
    private static final Version VERSION = Versions.JQ_1_6;
    private static final Scope ROOT = rootScope();

    private final JsonQuery query;

    private BoundedJq(JsonQuery query) {
        this.query = query;
    }

    /** @throws JsonQueryException when {@code program} does not compile */
    public static BoundedJq compile(String program) throws JsonQueryException {
        JsonQuery query = JsonQuery.compile(program, VERSION);
        Instrumenter.instrument(query);
        return new BoundedJq(query);
    }

    /** @return why {@code program} does not compile (one line, at most 300 characters), or null when it does */
    public static String compileProblem(String program) {
        try {
            JsonQuery.compile(program, VERSION);
            return null;
        } catch (JsonQueryException | RuntimeException e) {
            return firstLine(e);
        }
    }

    /** jq's message for {@code e}: its first line, at most 300 characters. */
    public static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        message = newline < 0 ? message : message.substring(0, newline);
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    /**
     * Evaluates the program on {@code input} until its first output, which ends the evaluation.
     *
     * @return the first output, or null when the program produced none
     * @throws JsonQueryException when the program fails on this input (jq's {@code error}, a type error...)
     * @throws JqBoundExceeded when it reached one of {@code limits} first (recursion that exhausts the stack too)
     */
    public JsonNode first(JsonNode input, JqLimits limits) throws JsonQueryException {
        JqBudget budget = JqBudget.open(limits);
        First first = new First(budget);
        try {
            query.apply(Scope.newChildScope(ROOT), input, first);
        } catch (JqBudget.Finished done) {
            // the first output arrived and the program went on: the rest is not evaluated
        } catch (StackOverflowError e) {
            throw JqBoundExceeded.of(JqBoundExceeded.Bound.DEPTH, limits);
        } finally {
            budget.close();
        }
        if (first.value != null) {
            budget.checkIfMeasured(); // a value built after the last periodic check counts too
        }
        return first.value;
    }

    @Override
    public String toString() {
        return query.toString();
    }

    private static Scope rootScope() {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(VERSION, scope);
        return scope;
    }

    /**
     * Keeps the first output; the evaluation stops at its next step. Not by throwing right here: unwinding jq's
     * frames costs more than a small transform, and most programs have nothing left to do after their only output.
     */
    private static final class First implements net.thisptr.jackson.jq.Output {

        private final JqBudget budget;
        JsonNode value;

        First(JqBudget budget) {
            this.budget = budget;
        }

        @Override
        public void emit(JsonNode out) {
            if (value == null) {
                value = out;
                budget.finish();
            }
        }
    }
}
