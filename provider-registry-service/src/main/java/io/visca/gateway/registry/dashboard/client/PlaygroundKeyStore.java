package io.visca.gateway.registry.dashboard.client;

import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The playground key every registry instance shares ({@code playground_key}, one row): the gateway key's id, its
 * clear text sealed under the secrets key, and when it was made. Replaced only by compare-and-set on the id the
 * replacing instance saw, so of two instances replacing it at once one wins and the other adopts its key.
 */
@ApplicationScoped
public class PlaygroundKeyStore {

    /** The stored key. */
    record Stored(String apiKeyId, String sealed, Instant createdAt) {
        @Override
        public String toString() {
            return "Stored[apiKeyId=" + apiKeyId + ", sealed=<masked>]";
        }
    }

    private final Pool db;

    PlaygroundKeyStore(Pool db) {
        this.db = db;
    }

    /** The stored key, or null. */
    Uni<Stored> read() {
        return db.query("select api_key_id, sealed, created_at from playground_key where id = 1").execute()
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Stored(row.getString(0), row.getString(1),
                            row.getOffsetDateTime(2).toInstant());
                });
    }

    /** Stores {@code replacement} if the stored key is still {@code seen} (null: none); says whether it did. */
    Uni<Boolean> replace(Stored seen, Stored replacement) {
        Tuple values = Tuple.of(replacement.apiKeyId(), replacement.sealed(),
                replacement.createdAt().atOffset(ZoneOffset.UTC));
        Uni<Integer> written = seen == null
                ? db.preparedQuery("insert into playground_key (id, api_key_id, sealed, created_at) "
                        + "values (1, $1, $2, $3) on conflict (id) do nothing").execute(values)
                        .map(rows -> rows.rowCount())
                : db.preparedQuery("update playground_key set api_key_id = $1, sealed = $2, created_at = $3 "
                        + "where id = 1 and api_key_id = $4").execute(values.addString(seen.apiKeyId()))
                        .map(rows -> rows.rowCount());
        return written.map(count -> count == 1);
    }
}
