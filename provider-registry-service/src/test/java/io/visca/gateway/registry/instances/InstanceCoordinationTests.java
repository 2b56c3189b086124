package io.visca.gateway.registry.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * What lets several instances share work, on the real database: a scheduled job's round is claimed by one caller per
 * gap, and start-up work under the start-up lock runs one caller at a time.
 */
@QuarkusTest
class InstanceCoordinationTests {

    @Inject
    ScheduledRounds rounds;

    @Inject
    StartupLock startupLock;

    @Test
    void aRoundIsClaimedOncePerGap() {
        String job = "test-" + UUID.randomUUID();
        assertTrue(claim(job, Duration.ofHours(1)), "the first claim runs the round");
        assertFalse(claim(job, Duration.ofHours(1)), "a second instance within the gap skips it");
        assertTrue(claim("other-" + job, Duration.ofHours(1)), "another job is claimed on its own");
        assertTrue(claim(job, Duration.ZERO), "once the gap is over the next claim runs it");
    }

    @Test
    void startUpWorkRunsOneCallerAtATime() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CompletableFuture<Long> firstDone = CompletableFuture.supplyAsync(() -> startupLock.run("first", () -> {
            holding.countDown();
            sleep(700);
            return System.nanoTime();
        }));
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        long secondStarted = startupLock.run("second", System::nanoTime);
        assertTrue(secondStarted >= firstDone.get(10, TimeUnit.SECONDS), "the second waited for the first to end");
        assertEquals("again", startupLock.run("third", () -> "again"), "the lock is free afterwards");
    }

    private boolean claim(String job, Duration gap) {
        return rounds.claim(job, gap).await().atMost(Duration.ofSeconds(10));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
