package io.visca.gateway.router.usage;

import java.nio.file.Path;
import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How usage events reach Kafka ({@code router.usage.*}). */
@ConfigMapping(prefix = "router.usage")
public interface UsageConfig {

    /**
     * Finished requests waiting in memory for the usage thread; more are dropped (counted and logged). The thread
     * takes them every {@code spool.fsync-interval}, so this only fills when the disk stalls.
     */
    @WithDefault("20000")
    int queueCapacity();

    /** Events sent to Kafka before waiting for their acknowledgements. */
    @WithDefault("500")
    int sendBatch();

    /** On shutdown, how long the sender may still take to hand Kafka what is spooled (the rest waits on disk). */
    @WithDefault("PT5S")
    Duration shutdownGrace();

    Spool spool();

    interface Spool {
        /** Where the spool keeps its files; one directory per router instance (it is locked). */
        @WithDefault("data/usage-spool")
        Path dir();

        /** The most the spool takes on disk; events that do not fit are dropped (counted and logged). */
        @WithDefault("1G")
        MemorySize maxBytes();

        /** Size at which a segment file is closed and a new one started; sent segments are deleted whole. */
        @WithDefault("16M")
        MemorySize segmentBytes();

        /**
         * How often appended events are fsynced (one fsync covers all of them). Events are written to the spool file
         * before their requests are answered (see {@link #writeBeforeAnswer()}), so they survive a crash of the
         * router process at once (they are in the OS's page cache); this interval is what a crash of the machine
         * itself could lose. An fsync costs the CPU of a few hundred requests on a small box, hence not every 5 ms.
         */
        @WithDefault("PT0.1S")
        Duration fsyncInterval();

        /**
         * Whether a request's last bytes wait until its event is in the spool file (written, not yet fsynced): then
         * no request a client saw answered is missing from billing after the router process is killed. Off, the
         * usage thread writes every {@link #fsyncInterval()} and a killed router loses up to that much; it saves a
         * thread hand-off per request (a few microseconds).
         */
        @WithDefault("true")
        boolean writeBeforeAnswer();
    }
}
