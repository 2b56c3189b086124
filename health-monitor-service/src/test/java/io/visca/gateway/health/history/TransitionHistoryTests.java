package io.visca.gateway.health.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The history's bounds: count per endpoint, age, forgetting; and its order. A clock the test moves. */
class TransitionHistoryTests {

    private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

    private static final class MovingClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static HealthTransition at(Instant at, String provider, String endpoint, String to) {
        return new HealthTransition(at, provider, endpoint, "http://" + endpoint + "/v1", null, to, "why");
    }

    @Test
    void keepsAtMostMaxPerEndpointDroppingTheOldest() {
        MovingClock clock = new MovingClock();
        TransitionHistory history = new TransitionHistory(3, Duration.ofDays(7), clock);
        IntStream.range(0, 5).forEach(i -> history.record(at(T0.plusSeconds(i), "p", "a", i % 2 == 0 ? "UP" : "DOWN")));
        history.record(at(T0.plusSeconds(1), "p", "b", "UP"));

        assertEquals(List.of(T0.plusSeconds(4), T0.plusSeconds(3), T0.plusSeconds(2)),
                history.list("p", null, 100).stream().filter(t -> t.endpoint().equals("a")).map(HealthTransition::at)
                        .toList(),
                "the three newest of a");
        assertEquals(4, history.list(null, null, 100).size(), "the bound is per endpoint: b keeps its one");
    }

    @Test
    void forgetsTransitionsOlderThanMaxAge() {
        MovingClock clock = new MovingClock();
        TransitionHistory history = new TransitionHistory(500, Duration.ofHours(2), clock);
        history.record(at(T0, "p", "a", "UP"));
        history.record(at(T0.plus(Duration.ofHours(1)), "p", "a", "DOWN"));
        assertEquals(2, history.list("p", null, 100).size());

        clock.now = T0.plus(Duration.ofHours(2)).plusSeconds(1);
        assertEquals(List.of("DOWN"), history.list("p", null, 100).stream().map(HealthTransition::to).toList());
        clock.now = T0.plus(Duration.ofHours(3)).plusSeconds(1);
        assertEquals(List.of(), history.list(null, null, 100));
    }

    @Test
    void listsNewestFirstAcrossEndpointsFilteredByProviderSinceAndLimit() {
        TransitionHistory history = new TransitionHistory(500, Duration.ofDays(7), new MovingClock());
        history.record(at(T0.plusSeconds(1), "p", "a", "UP"));
        history.record(at(T0.plusSeconds(3), "p", "b", "UP"));
        history.record(at(T0.plusSeconds(2), "q", "c", "DOWN"));
        history.record(at(T0.plusSeconds(4), "p", "a", "DOWN"));

        assertEquals(List.of("p/a", "p/b", "q/c", "p/a"), history.list(null, null, 10).stream()
                .map(HealthTransition::key).toList());
        assertEquals(List.of(T0.plusSeconds(4), T0.plusSeconds(3), T0.plusSeconds(1)),
                history.list("p", null, 10).stream().map(HealthTransition::at).toList());
        assertEquals(List.of(T0.plusSeconds(4), T0.plusSeconds(3)), history.list("p", T0.plusSeconds(3), 10)
                .stream().map(HealthTransition::at).toList(), "since is inclusive");
        assertEquals(List.of(T0.plusSeconds(4)), history.list(null, null, 1).stream().map(HealthTransition::at)
                .toList());
        assertEquals(List.of(), history.list("unknown", null, 10));
    }

    @Test
    void forgetsEndpointsTheRegistryNoLongerHas() {
        TransitionHistory history = new TransitionHistory(500, Duration.ofDays(7), new MovingClock());
        history.record(at(T0, "p", "a", "UP"));
        history.record(at(T0, "p", "b", "UP"));
        history.record(at(T0, "q", "c", "UP"));
        history.retainOnly(Map.of("p/a", "http://a.example", "q/c", "http://c.example"));
        assertEquals(List.of("p/a", "q/c"), history.list(null, null, 10).stream().map(HealthTransition::key)
                .sorted().toList());
    }

    @Test
    void aLateTransitionOfAForgottenEndpointIsNotListedAndOnesReadWithoutAUrlGetTheCurrentOne() {
        TransitionHistory history = new TransitionHistory(500, Duration.ofDays(7), new MovingClock());
        history.retainOnly(Map.of("p/a", "http://a.example"));
        history.record(new HealthTransition(T0, "p", "a", null, null, "UP", "ok"));
        history.record(at(T0.plusSeconds(1), "p", "gone", "UP"));
        List<HealthTransition> listed = history.list(null, null, 10);
        assertEquals(List.of("p/a"), listed.stream().map(HealthTransition::key).toList());
        assertEquals("http://a.example", listed.get(0).baseUrl());
    }
}
