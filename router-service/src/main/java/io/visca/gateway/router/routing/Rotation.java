package io.visca.gateway.router.routing;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Smooth weighted round-robin (nginx's) over one provider's endpoints: over any run of requests each endpoint gets its
 * exact share, spread out rather than in bursts. It lives in {@link LiveState}, so a new snapshot that leaves the
 * provider's endpoints and weights as they were (a discovered model list, a changed price) continues the rotation
 * instead of starting it over.
 */
final class Rotation {

    private final List<String> endpoints;
    private final int[] weights;
    private final int totalWeight;
    /** Each endpoint's current weight. Guarded by {@code this}. */
    private final long[] current;

    Rotation(List<String> endpoints, int[] weights) {
        this.endpoints = List.copyOf(endpoints);
        this.weights = weights.clone();
        this.current = new long[weights.length];
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        this.totalWeight = total;
    }

    boolean sameAs(List<String> endpoints, int[] weights) {
        return this.endpoints.equals(endpoints) && Arrays.equals(this.weights, weights);
    }

    int totalWeight() {
        return totalWeight;
    }

    /** The next endpoint among those {@code available} lets through; -1 when none does. */
    synchronized int next(IntPredicate available) {
        int best = -1;
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!available.test(i)) {
                continue;
            }
            current[i] += weights[i];
            total += weights[i];
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        if (best >= 0) {
            current[best] -= total;
        }
        return best;
    }
}
