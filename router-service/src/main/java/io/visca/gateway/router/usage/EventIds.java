package io.visca.gateway.router.usage;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Usage event ids: billing's key, so the router owns them (a client's {@code x-request-id} is only a correlation id
 * and may repeat). An id is a version-4-shaped UUID whose high half is random per process and whose low half counts
 * from a random start: unique within a process by construction, and across processes and restarts as long as two
 * processes do not draw the same 58 random bits. Cheap on an event loop: one atomic increment, no secure random per
 * request.
 */
public final class EventIds {

    private static final long PROCESS;
    private static final AtomicLong NEXT;

    static {
        SecureRandom random = new SecureRandom();
        PROCESS = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        NEXT = new AtomicLong(random.nextLong());
    }

    private EventIds() {
    }

    /** A new id, never handed out before by this process. */
    public static String next() {
        long low = (NEXT.getAndIncrement() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(PROCESS, low).toString();
    }
}
