package io.visca.gateway.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** An endpoint's shard is the partition Kafka's default partitioner gives its key: the same on every instance. */
class ShardsTests {

    @Test
    void anEndpointsShardIsThePartitionKafkaGivesItsKey() {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String key = "provider-" + i + "/endpoint-" + (i % 7);
            int shard = Shards.of(key, 12);
            assertEquals(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), 12), shard, key);
            assertEquals(shard, Shards.of(key, 12), "the same every time");
            used.add(shard);
        }
        assertEquals(12, used.size(), "200 endpoints spread over every shard: " + used);
        assertTrue(Shards.of("demo-llama/llama-1", 1) == 0);
    }
}
