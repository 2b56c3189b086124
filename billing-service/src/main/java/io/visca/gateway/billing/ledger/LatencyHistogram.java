package io.visca.gateway.billing.ledger;

import java.util.Arrays;

/**
 * A mergeable histogram of latencies in milliseconds, as the rollups keep them (the migration V6's
 * {@code latency_bucket} computes the same buckets in SQL): fixed log-spaced buckets, 8 per power of two. A value
 * below 16 has a bucket of its own (exact); above, a bucket spans 1/16 to 1/8 of its lower bound, so a percentile read
 * from merged histograms is within 12.5 % (one bucket) of the exact one. In PostgreSQL a histogram is an
 * {@code int[]} whose subscripts are the bucket numbers, holding only its lowest to highest used bucket (text form
 * {@code [lo:hi]={c,c,...}}); merging is adding bucket by bucket, so any range's percentiles come from summing rows.
 *
 * @param lowest the bucket number of {@code counts[0]}
 * @param counts the counts of buckets {@code lowest} onwards
 */
public record LatencyHistogram(int lowest, long[] counts) {

    /** The bucket of {@code value} ms (negative values count as 0). */
    public static int bucket(long value) {
        if (value < 8) {
            return (int) Math.max(value, 0);
        }
        int shift = 63 - Long.numberOfLeadingZeros(value) - 3;
        return 8 + shift * 8 + (int) (value >> shift) - 8;
    }

    /** The smallest value of bucket {@code b}. */
    public static long lowerBound(int b) {
        if (b < 8) {
            return b;
        }
        int shift = (b - 8) / 8;
        return (8L + (b - 8) % 8) << shift;
    }

    /** How many integer values bucket {@code b} holds. */
    public static long width(int b) {
        return b < 8 ? 1 : 1L << ((b - 8) / 8);
    }

    /** The text form PostgreSQL reads as an int[] with these subscripts. */
    public String literal() {
        StringBuilder out = new StringBuilder().append('[').append(lowest).append(':')
                .append(lowest + counts.length - 1).append("]={");
        for (int i = 0; i < counts.length; i++) {
            out.append(i == 0 ? "" : ",").append(counts[i]);
        }
        return out.append('}').toString();
    }

    /**
     * Parses PostgreSQL's text of an int[] histogram ({@code {1,2}} starts at subscript 1, {@code [5:6]={1,2}} at 5;
     * NULL counts 0); null for null.
     */
    public static LatencyHistogram parse(String text) {
        if (text == null) {
            return null;
        }
        int lowest = 1;
        String body = text;
        if (text.startsWith("[")) {
            lowest = Integer.parseInt(text.substring(1, text.indexOf(':')));
            body = text.substring(text.indexOf('=') + 1);
        }
        String inner = body.substring(1, body.length() - 1);
        if (inner.isEmpty()) {
            return null;
        }
        String[] parts = inner.split(",");
        long[] counts = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            counts[i] = parts[i].equals("NULL") ? 0 : Long.parseLong(parts[i]);
        }
        return new LatencyHistogram(lowest, counts);
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    /**
     * The {@code fraction} percentile as PostgreSQL's {@code percentile_cont} computes it (linear interpolation
     * between the two nearest ranks), each rank's value estimated within its bucket: the k-th of a bucket's c values
     * is taken as spread evenly over the bucket's integers. Exact where every value lies below 16; null when empty.
     */
    public Double percentile(double fraction) {
        long n = total();
        if (n == 0) {
            return null;
        }
        double position = fraction * (n - 1);
        long lower = (long) Math.floor(position);
        double low = valueAt(lower);
        if (position == lower) {
            return low;
        }
        return low + (position - lower) * (valueAt(lower + 1) - low);
    }

    /** The estimated value of rank {@code rank} (0-based, ascending). */
    private double valueAt(long rank) {
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            long c = counts[i];
            if (rank < seen + c) {
                int b = lowest + i;
                long k = rank - seen;
                long span = width(b) - 1;
                double offset = c == 1 ? span / 2.0 : span * (double) k / (c - 1);
                return lowerBound(b) + offset;
            }
            seen += c;
        }
        throw new IllegalStateException("rank " + rank + " beyond " + seen);
    }

    /** Builds a histogram value by value. */
    public static final class Builder {
        private long[] counts = new long[0];
        private int lowest;

        public void add(long value) {
            int b = bucket(value);
            if (counts.length == 0) {
                counts = new long[1];
                lowest = b;
            } else if (b < lowest) {
                long[] grown = new long[counts.length + lowest - b];
                System.arraycopy(counts, 0, grown, lowest - b, counts.length);
                counts = grown;
                lowest = b;
            } else if (b >= lowest + counts.length) {
                counts = Arrays.copyOf(counts, b - lowest + 1);
            }
            counts[b - lowest]++;
        }

        /** The histogram, or null when no value was added. */
        public LatencyHistogram build() {
            return counts.length == 0 ? null : new LatencyHistogram(lowest, counts.clone());
        }
    }
}
