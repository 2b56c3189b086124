package io.visca.gateway.registry.policy.mapping;

/**
 * One field of a JSON merge patch (RFC 7386) as PATCH reads it: absent keeps what is stored, {@code null} clears
 * it, a value replaces it. A field whose value is invalid is kept (its violation fails the request anyway).
 */
public record Patched<T>(boolean present, T value) {

    private static final Patched<?> KEEP = new Patched<>(false, null);

    @SuppressWarnings("unchecked")
    public static <T> Patched<T> keep() {
        return (Patched<T>) KEEP;
    }

    /** Sets the field to {@code value}; null clears it. */
    public static <T> Patched<T> to(T value) {
        return new Patched<>(true, value);
    }

    /** The value after the patch. */
    public T applyTo(T current) {
        return present ? value : current;
    }

    /** Whether the patch sets the field to null. */
    public boolean clears() {
        return present && value == null;
    }
}
