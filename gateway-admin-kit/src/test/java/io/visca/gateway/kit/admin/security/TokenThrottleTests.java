package io.visca.gateway.kit.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** {@link TokenThrottle} on its own, with a clock the test moves. */
class TokenThrottleTests {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final TokenThrottle throttle = new TokenThrottle(10, Duration.ofMinutes(1), 3, now::get);

    private void fail(String client, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(client);
        }
    }

    @Test
    void locksAnAddressAtItsTenthFailureUntilTheWindowIsOver() {
        for (int i = 1; i <= 9; i++) {
            assertFalse(throttle.failed("10.0.0.1"), "failure " + i + " does not lock");
            assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"));
        }
        assertTrue(throttle.failed("10.0.0.1"), "the tenth failure locks");
        assertEquals(60, throttle.retryAfterSeconds("10.0.0.1"), "the 11th attempt waits for the window");
        now.addAndGet(45_500);
        assertEquals(15, throttle.retryAfterSeconds("10.0.0.1"), "Retry-After counts down, rounded up");
        now.addAndGet(14_500);
        assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"), "the window is over");
        assertFalse(throttle.failed("10.0.0.1"), "a new window starts from zero");
    }

    @Test
    void leavesOtherAddressesAlone() {
        fail("10.0.0.1", 10);
        assertTrue(throttle.retryAfterSeconds("10.0.0.1") > 0);
        assertEquals(0, throttle.retryAfterSeconds("10.0.0.2"));
        fail("10.0.0.2", 9);
        assertEquals(0, throttle.retryAfterSeconds("10.0.0.2"));
    }

    @Test
    void aSuccessBeforeTheLockResetsTheCount() {
        fail("10.0.0.1", 9);
        throttle.succeeded("10.0.0.1");
        fail("10.0.0.1", 9);
        assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"));
    }

    @Test
    void failuresOfAnOldWindowDoNotCount() {
        fail("10.0.0.1", 9);
        now.addAndGet(60_000);
        fail("10.0.0.1", 9);
        assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"));
    }

    @Test
    void tracksAtMostMaxClientsAddressesDroppingTheOldest() {
        fail("10.0.0.1", 10);
        now.addAndGet(1);
        fail("10.0.0.2", 10);
        now.addAndGet(1);
        fail("10.0.0.3", 1);
        assertEquals(3, throttle.tracked());
        fail("10.0.0.4", 1);
        assertEquals(3, throttle.tracked(), "the table stays at max-clients");
        assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"), "the oldest address was forgotten");
        assertTrue(throttle.retryAfterSeconds("10.0.0.2") > 0, "newer ones are kept");
    }

    @Test
    void dropsExpiredWindowsBeforeLiveOnes() {
        fail("10.0.0.1", 1);
        now.addAndGet(30_000);
        fail("10.0.0.2", 10);
        fail("10.0.0.3", 1);
        now.addAndGet(31_000); // 10.0.0.1's window is over, 10.0.0.2's is not
        fail("10.0.0.4", 1);
        assertEquals(3, throttle.tracked());
        assertTrue(throttle.retryAfterSeconds("10.0.0.2") > 0, "a live lock survives");
    }

    @Test
    void manyAddressesStayWithinTheBound() {
        TokenThrottle bounded = new TokenThrottle(10, Duration.ofMinutes(1), 1000, now::get);
        for (int i = 0; i < 100_000; i++) {
            bounded.failed("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        }
        assertEquals(1000, bounded.tracked());
    }
}
