package io.visca.gateway.registry.outbox;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An event of a committed change, waiting for the relay; keyed (and published in order of) its revision. */
@Entity
@Table(name = "outbox")
public class OutboxEntity {

    @Id
    public long revision;

    @Column(nullable = false)
    public String topic;

    @Column(name = "message_key", nullable = false)
    public String messageKey;

    /** The event as JSON. */
    @Column(nullable = false)
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
