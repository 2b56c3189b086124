package io.visca.gateway.registry.provider.mapping;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.jq.BoundedJq;
import io.visca.gateway.jq.JqBoundExceeded;
import io.visca.gateway.jq.JqLimits;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * jq as the transform language of {@code custom} providers (jq 1.6 semantics), every evaluation within the
 * {@code registry.jq.*} bounds ({@link JqSettings} sets them at start). Saving a
 * provider runs each program once on a sample input, so one that cannot finish within the bounds
 * ({@code range(1e9)}, {@code def f: f; f}) is refused then rather than in Test Connection or on the router.
 */
public final class JqPrograms {

    public static final String LANGUAGE = BoundedJq.LANGUAGE;
    /** The defaults of {@code registry.jq.*}. */
    public static final JqLimits DEFAULT_LIMITS = new JqLimits(1_000_000, Duration.ofMillis(250), 32L << 20);

    private static volatile JqLimits limits = DEFAULT_LIMITS;

    private JqPrograms() {
    }

    public static void limits(JqLimits configured) {
        limits = configured;
    }

    public static JqLimits limits() {
        return limits;
    }

    /** @return why {@code program} does not compile, or null when it does */
    public static String compileProblem(String program) {
        return BoundedJq.compileProblem(program);
    }

    /**
     * Runs {@code program} once on a sample of its input (a one-token chat request for {@code transform.request},
     * an empty object for {@code transform.response}).
     *
     * @return why it cannot finish within the bounds, or null when it can (failing on the sample is fine: real input
     *         differs)
     */
    public static String boundProblem(String program, boolean request) {
        try {
            BoundedJq.compile(program).first(request ? sampleChat() : JsonNodeFactory.instance.objectNode(),
                    limits);
            return null;
        } catch (JqBoundExceeded e) {
            return e.getMessage() + " on " + (request ? "a one-token chat request" : "an empty object");
        } catch (JsonQueryException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Runs {@code program} on {@code input}.
     *
     * @return the program's first output
     * @throws JsonQueryException when it does not compile, fails, or outputs nothing
     * @throws JqBoundExceeded when it reaches a bound (its message names it)
     */
    public static JsonNode apply(String program, JsonNode input) throws JsonQueryException {
        JsonNode out = BoundedJq.compile(program).first(input, limits);
        if (out == null) {
            throw new JsonQueryException("the program produced no output");
        }
        return out;
    }

    private static ObjectNode sampleChat() {
        ObjectNode chat = JsonNodeFactory.instance.objectNode().put("model", "sample-model").put("max_tokens", 1);
        chat.putArray("messages").addObject().put("role", "user").put("content", "Hello");
        return chat;
    }
}
