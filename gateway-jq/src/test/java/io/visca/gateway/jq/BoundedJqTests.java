package io.visca.gateway.jq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

class BoundedJqTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The bounds the services default to (router worker, registry). */
    private static final JqLimits LIMITS = new JqLimits(10_000_000, Duration.ofSeconds(2), 64L << 20);
    /** As {@link #LIMITS} with time to spare, so the memory bound is reached first even on a loaded machine. */
    private static final JqLimits MEMORY_FIRST = new JqLimits(Long.MAX_VALUE, Duration.ofSeconds(60), 64L << 20);
    private static final String CHAT = """
            {"model": "legacy-13b", "max_tokens": 5, "messages": [{"role": "system", "content": "Be brief."},
              {"role": "user", "content": "Say hi"}]}
            """;
    private static final String REQUEST_TRANSFORM = "{prompt: .messages[-1].content, max_tokens: (.max_tokens // 100), "
            + "temperature: (.temperature // 0.7)}";

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode run(String program, String input, JqLimits limits) throws JsonQueryException {
        return BoundedJq.compile(program).first(json(input), limits);
    }

    /** What plain jackson-jq answers: every output. */
    private static List<JsonNode> plain(String program, String input) throws JsonQueryException {
        Scope root = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
        List<JsonNode> out = new ArrayList<>();
        JsonQuery.compile(program, Versions.JQ_1_6).apply(Scope.newChildScope(root), json(input), out::add);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = { REQUEST_TRANSFORM, ".", "[.messages[] | select(.role == \"user\") | .content] | join(\" \")",
            "{q: \"\\(.model): \\(.messages | length)\", n: ([range(10)] | add), s: (.messages | tostring | length)}",
            "reduce .messages[] as $m (\"\"; . + $m.content)", "[limit(3; def r: ., r; r)]", "first(range(5; 10))",
            "[paths] | length", "def f($n): if $n == 0 then 0 else f($n - 1) + 1 end; f(50)", ".a.b.c = 1 | .a",
            "try error(\"x\") catch .", "[.messages[] | {(.role): .content}] | add", "\"ab\" * 3", "[.[]?] | length",
            "to_entries | map(.key) | sort", "[.messages[].content | test(\"hi\")]", "setpath([\"x\", 2]; 1) | .x",
            ".messages[0].content |= ascii_upcase | .messages[0]", "@base64 \"\\(.model)\"" })
    void answersOrdinaryProgramsAsJqDoes(String program) throws JsonQueryException {
        assertEquals(plain(program, CHAT).get(0), run(program, CHAT, LIMITS), program);
    }

    @Test
    void keepsOnlyTheFirstOutputAndStopsThere() throws JsonQueryException {
        assertEquals(json("1"), run("1, range(1e18)", "null", LIMITS));
        assertNull(run("empty", "null", LIMITS));
    }

    @Test
    void reportsRuntimeErrorsAsJqErrors() {
        assertThrows(JsonQueryException.class, () -> run("error(\"nope\")", "null", LIMITS));
        assertThrows(JsonQueryException.class, () -> run(".a + 1", "{\"a\": \"x\"}", LIMITS));
    }

    @ParameterizedTest
    @ValueSource(strings = { "range(1e9) | empty", "[range(1e8)]", "last(range(1e18))", "[range(1e9)] | length",
            "reduce range(1e9) as $i (0; . + $i)", "(1,2,3,4,5,6,7,8,9,10) as $a | (1,2,3,4,5,6,7,8,9,10) as $b "
                    + "| (1,2,3,4,5,6,7,8,9,10) as $c | (1,2,3,4,5,6,7,8,9,10) as $d | (1,2,3,4,5,6,7,8,9,10) as $e "
                    + "| (1,2,3,4,5,6,7,8,9,10) as $f | (1,2,3,4,5,6,7,8,9,10) as $g | (1,2,3,4,5,6,7,8,9,10) as $h "
                    + "| empty",
            "try (range(1e9) | empty) catch 0", "[limit(1e9; def r: ., r; r)] | length", "[range(1e9) | tostring]" })
    void endsLoopsAtABound(String program) {
        long start = System.nanoTime();
        JqBoundExceeded e = assertThrows(JqBoundExceeded.class, () -> run(program, "null", LIMITS), program);
        // which bound comes first depends on the machine's load (time) and the JVM (allocation): any of them ends it
        assertTrue(e.getMessage().startsWith("exceeded the jq " + e.bound().label() + " bound"), e.getMessage());
        System.out.printf("%-70.70s %s after %d ms%n", program, e.bound(), (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void countsSteps() {
        JqLimits fewSteps = new JqLimits(100_000, Duration.ofSeconds(10), 1L << 40);
        JqBoundExceeded e = assertThrows(JqBoundExceeded.class, () -> run("range(1e9) | empty", "null", fewSteps));
        assertEquals(JqBoundExceeded.Bound.STEPS, e.bound());
        assertEquals("exceeded the jq step bound (100000 steps)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "def f: f; f", "def f: 1 + f; f", "def r: ., r; [r]", "0 | until(. < 0; . + 1)",
            "[0 | while(true; . + 1)]", "def f: ., f; [f]", "[recurse(. + 1)]" })
    void endsEndlessRecursionAtABound(String program) {
        JqBoundExceeded e = assertThrows(JqBoundExceeded.class, () -> run(program, "0", LIMITS), program);
        assertTrue(e.bound() != JqBoundExceeded.Bound.MEMORY, program + ": " + e.bound()); // TIME only under load
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"x\" * 1e9", "1e9 * \"x\"", ".a = \"x\" | .a *= 1e9",
            "(\"x\" * 1000000) as $s | [range(1000) | $s] | tostring",
            "reduce range(40) as $i ([1]; [., .]) | tojson", "reduce range(40) as $i ([\"xxxxxxxx\"]; [., .]) | @json",
            "reduce range(40) as $i ([\"xx\"]; [., .]) | \"\\(.)\"", "reduce range(40) as $i (\"x\"; . + .)",
            "reduce range(40) as $i ([1]; . + .)", ".[1e9] = 1", ".[2000000000] |= 1", "setpath([1e9]; 1)",

            "(\"x\" * 1000000) as $s | [range(1000) | $s] | add", "reduce range(30) as $i ([[\"xxxx\"]]; [., .]) "
                    + "| flatten | join(\"\")" })
    void refusesValuesBeyondTheMemoryBound(String program) {
        long start = System.nanoTime();
        JqBoundExceeded e = assertThrows(JqBoundExceeded.class, () -> run(program, "null", MEMORY_FIRST), program);
        assertEquals(JqBoundExceeded.Bound.MEMORY, e.bound(), program);
        assertTrue(e.getMessage().startsWith("exceeded the jq memory bound ("), e.getMessage());
        System.out.printf("%-70.70s %s after %d ms%n", program, e.bound(), (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void endsASlowProgramAtTheTimeBound() {
        JqLimits quick = new JqLimits(Long.MAX_VALUE, Duration.ofMillis(100), 1L << 40);
        long start = System.nanoTime();
        JqBoundExceeded e = assertThrows(JqBoundExceeded.class, () -> run("last(range(1e18))", "null", quick));
        assertEquals(JqBoundExceeded.Bound.TIME, e.bound());
        assertEquals("exceeded the jq time bound (100 ms)", e.getMessage());
        System.out.printf("time bound of 100 ms ended the program after %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void aCompiledProgramServesManyEvaluationsAndThreads() throws Exception {
        BoundedJq program = BoundedJq.compile(REQUEST_TRANSFORM);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        assertEquals("Say hi", program.first(json(CHAT), LIMITS).path("prompt").asText());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), failures);
    }

    /** The cost of the bounds on the common small transform, printed (measured, not asserted). */
    @Test
    void measuresTheCostOfTheBoundsOnASmallTransform() throws Exception {
        JsonNode input = json(CHAT);
        BoundedJq bounded = BoundedJq.compile(REQUEST_TRANSFORM);
        Scope root = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
        JsonQuery unbounded = JsonQuery.compile(REQUEST_TRANSFORM, Versions.JQ_1_6);
        long boundedNanos = Long.MAX_VALUE;
        long plainNanos = Long.MAX_VALUE;
        for (int round = 0; round < 15; round++) { // the fastest round of each: the machine is shared
            long start = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                bounded.first(input, LIMITS);
            }
            boundedNanos = Math.min(boundedNanos, System.nanoTime() - start);
            start = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                List<JsonNode> out = new ArrayList<>(1);
                unbounded.apply(Scope.newChildScope(root), input, out::add);
            }
            plainNanos = Math.min(plainNanos, System.nanoTime() - start);
        }
        System.out.printf("small request transform: %.2f µs bounded, %.2f µs plain jackson-jq%n",
                boundedNanos / 20_000 / 1000.0, plainNanos / 20_000 / 1000.0);
    }
}
