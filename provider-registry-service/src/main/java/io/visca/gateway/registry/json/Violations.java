package io.visca.gateway.registry.json;

import java.util.ArrayList;
import java.util.List;

import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.kit.admin.error.Violation;

/** Collects every problem of a request body, so a client learns all of them in one 400 ({@value #CODE}). */
public final class Violations {

    /** The registry's code of a 400 for a request body with problems. */
    public static final String CODE = "validation_failed";

    private final List<Violation> list = new ArrayList<>();

    public void add(String field, String message) {
        list.add(new Violation(field, message));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Violation> list() {
        return List.copyOf(list);
    }

    /** Throws the 400 listing every violation, if there is any. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw invalid(list());
        }
    }

    /** The 400 listing every violation. */
    public static ApiException invalid(List<Violation> violations) {
        return ApiException.invalid(CODE, violations);
    }

    /** The 400 of one problem. */
    public static ApiException invalid(String field, String message) {
        return ApiException.invalid(CODE, field, message);
    }
}
