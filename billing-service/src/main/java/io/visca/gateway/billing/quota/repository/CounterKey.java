package io.visca.gateway.billing.quota.repository;

import java.time.Instant;

/**
 * One budget in one period: the key of {@code budget_counter}. Counters are always locked in this order, by every
 * writer (scope by Unicode code points, as PostgreSQL's {@code collate "C"} sorts it, then window start), so two
 * transactions never wait on each other in a cycle.
 */
public record CounterKey(String scope, Instant windowStart) implements Comparable<CounterKey> {

    @Override
    public int compareTo(CounterKey other) {
        int byScope = compareCodePoints(scope, other.scope);
        return byScope != 0 ? byScope : windowStart.compareTo(other.windowStart);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
