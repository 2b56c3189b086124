package io.visca.gateway.billing.ledger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.billing.alert.repository.BudgetAlertRepository;

/**
 * Settles the quota store's budget leases with the cost of the requests admitted under them, in the ledger's write
 * transaction and only for the rows that transaction really inserted ({@link LedgerRepository.Stored#settlements}),
 * so a redelivered event never settles twice. Each lease's {@code settled} grows by the amount; its counter's
 * {@code spent} by the same, and its {@code committed} by the change of the lease's charge (an open lease's charge is
 * {@code max(amount, settled)}, so it grows only once the bill passes the amount). The counters are locked first, in
 * (scope, window_start) order, as every writer of the quota store does, so settlement and grants never deadlock.
 * A lease the store does not know (or an id that is no lease id at all) is left alone and counted. The budget
 * thresholds the settled counters' spent has reached are recorded as alerts in the same transaction
 * ({@link BudgetAlertRepository#recordCrossings}).
 */
@ApplicationScoped
public class LeaseSettlement {

    private static final Pattern UUID = Pattern
            .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final TypeReference<List<List<String>>> PAIRS = new TypeReference<>() {
    };

    private static final String LOCK = """
            select 1 from budget_counter c
            where (c.scope, c.window_start) in (
                select scope, window_start from budget_lease where id = any(cast(cast(:ids as text[]) as uuid[])))
            order by c.scope collate "C", c.window_start
            for update of c
            """;

    private static final String SETTLE = """
            with s as (
                select * from unnest(cast(cast(:ids as text[]) as uuid[]), cast(cast(:amounts as text[]) as numeric[]))
                as s(id, amount)
            ), settled as (
                update budget_lease l set settled = l.settled + s.amount
                from s where l.id = s.id
                returning l.scope, l.window_start, s.amount,
                    lease_charge(l.amount, l.settled, l.used, l.released_at is not null, l.reclaimed_at is not null)
                    - lease_charge(l.amount, l.settled - s.amount, l.used, l.released_at is not null,
                                   l.reclaimed_at is not null) as delta
            ), counted as (
                update budget_counter c set spent = c.spent + d.amount, committed = c.committed + d.delta
                from (select scope, window_start, sum(amount) as amount, sum(delta) as delta
                      from settled group by 1, 2) d
                where c.scope = d.scope and c.window_start = d.window_start
                returning 1
            )
            select (select count(*) from settled), (select count(*) from counted)
            """;

    /** What a settlement did: leases named that the store does not know, and budget alerts newly recorded. */
    record Settled(long unknownLeases, long alerts) {
    }

    private final ObjectMapper json;
    private final BudgetAlertRepository alerts;

    /** Whether {@code id} can be a lease id (a UUID in its canonical text form); the store knows no other. */
    public static boolean isLeaseId(String id) {
        return UUID.matcher(id).matches();
    }

    LeaseSettlement(ObjectMapper json, BudgetAlertRepository alerts) {
        this.json = json;
        this.alerts = alerts;
    }

    /**
     * Settles inside the caller's transaction.
     *
     * @param settlements {@link LedgerRepository.Stored#settlements}: null when no inserted row named a lease
     * @return how many of the named leases the store does not know (their rows are stored, nothing is settled), and
     *         how many budget alerts were recorded
     */
    Uni<Settled> settle(String settlements) {
        if (settlements == null) {
            return Uni.createFrom().item(new Settled(0, 0));
        }
        List<List<String>> pairs;
        try {
            pairs = json.readValue(settlements, PAIRS);
        } catch (IOException e) {
            throw new IllegalStateException("the ledger statement returned unreadable settlements", e);
        }
        List<String> ids = new ArrayList<>(pairs.size());
        List<String> amounts = new ArrayList<>(pairs.size());
        for (List<String> pair : pairs) {
            if (isLeaseId(pair.get(0))) {
                ids.add(pair.get(0));
                amounts.add(pair.get(1));
            }
        }
        long malformed = pairs.size() - ids.size();
        if (ids.isEmpty()) {
            return Uni.createFrom().item(new Settled(malformed, 0));
        }
        String[] idArray = ids.toArray(String[]::new);
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(LOCK).setParameter("ids", idArray).getResultList()
                        .chain(locked -> session.createNativeQuery(SETTLE, Object[].class).setParameter("ids", idArray)
                                .setParameter("amounts", amounts.toArray(String[]::new)).getSingleResult()))
                .chain(row -> alerts.recordCrossings(idArray).map(recorded -> new Settled(
                        malformed + ids.size() - ((Number) row[0]).longValue(), recorded)));
    }
}
