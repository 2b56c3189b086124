package io.visca.gateway.registry.outbox;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The single row holding the global registry revision; writers lock it, which orders every change. */
@Entity
@Table(name = "registry_state")
public class RegistryStateEntity {

    public static final short ID = 1;

    @Id
    public short id;

    public long revision;
}
