package io.visca.gateway.registry.provider.mapping;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/** jq as the transform language of {@code custom} providers (jackson-jq, jq 1.6 semantics). */
public final class JqPrograms {

    public static final String LANGUAGE = "jq";
    private static final Version VERSION = Versions.JQ_1_6;
    private static final Scope ROOT = rootScope();

    private JqPrograms() {
    }

    /** @return why {@code program} does not compile, or null when it does */
    public static String compileProblem(String program) {
        try {
            JsonQuery.compile(program, VERSION);
            return null;
        } catch (JsonQueryException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int newline = message.indexOf('\n');
            message = newline < 0 ? message : message.substring(0, newline);
            return message.length() > 300 ? message.substring(0, 300) + "..." : message;
        }
    }

    /**
     * Runs {@code program} on {@code input}.
     *
     * @return the program's first output
     * @throws JsonQueryException when it does not compile, fails, or outputs nothing
     */
    public static JsonNode apply(String program, JsonNode input) throws JsonQueryException {
        JsonQuery query = JsonQuery.compile(program, VERSION);
        List<JsonNode> out = new ArrayList<>(1);
        query.apply(Scope.newChildScope(ROOT), input, out::add);
        if (out.isEmpty()) {
            throw new JsonQueryException("the program produced no output");
        }
        return out.get(0);
    }

    private static Scope rootScope() {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(VERSION, scope);
        return scope;
    }
}
