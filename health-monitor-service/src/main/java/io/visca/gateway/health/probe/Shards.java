package io.visca.gateway.health.probe;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/**
 * Which shard an endpoint belongs to: its key ({@code provider/endpoint}) hashed as Kafka's default partitioner
 * hashes a record key (murmur2), modulo the shard topic's partitions. Every instance computes the same shard for a
 * key, so the instance holding a partition of the shard topic is the one instance that probes its endpoints.
 */
public final class Shards {

    private Shards() {
    }

    public static int of(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
