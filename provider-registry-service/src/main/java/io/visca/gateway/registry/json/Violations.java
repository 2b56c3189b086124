package io.visca.gateway.registry.json;

import java.util.ArrayList;
import java.util.List;

import io.visca.gateway.registry.error.ApiException;
import io.visca.gateway.registry.error.Violation;

/** Collects every problem of a request body, so a client learns all of them in one 400. */
public final class Violations {

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
            throw ApiException.invalid(list());
        }
    }
}
