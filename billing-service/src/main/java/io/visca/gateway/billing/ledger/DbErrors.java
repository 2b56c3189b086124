package io.visca.gateway.billing.ledger;

import java.sql.SQLException;

import io.vertx.sqlclient.DatabaseException;

/** Sorts database failures: what a row's content caused, against everything else (which a retry may cure). */
public final class DbErrors {

    private DbErrors() {
    }

    /** The SQLSTATE of the first database error in the cause chain, or null (e.g. the connection failed). */
    public static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseException db && db.getSqlState() != null) {
                return db.getSqlState();
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
            if (t instanceof org.hibernate.JDBCException jdbc && jdbc.getSQLState() != null) {
                return jdbc.getSQLState();
            }
        }
        return null;
    }

    /**
     * Whether PostgreSQL refused the data itself: class 22 (data exception, e.g. a number beyond numeric's range) or 23
     * (integrity constraint). Those fail again however often they are retried. Anything else (connection lost,
     * server shutting down, deadlock, a bug in a statement) is retried, so no event is ever dropped for it.
     */
    public static boolean isDataError(Throwable failure) {
        String state = sqlState(failure);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** A deadlock or serialization failure (class 40): the transaction may simply be run again. */
    public static boolean isConflict(Throwable failure) {
        String state = sqlState(failure);
        return state != null && state.startsWith("40");
    }

    /** One line about a failure for the log: its type and SQLSTATE, not its message (which may quote values). */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String state = sqlState(failure);
        return root.getClass().getSimpleName() + (state == null ? "" : " (SQLSTATE " + state + ")");
    }
}
