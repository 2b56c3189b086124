package io.visca.gateway.kit.admin.error;

/**
 * One problem of a request: a body field or a query parameter, and what is wrong with it.
 *
 * @param field path of the offending field, e.g. {@code endpoints[1].base_url}, or the query parameter, e.g.
 *        {@code from}; empty for the whole body
 * @param message what is wrong and what is expected; never contains a secret value
 */
public record Violation(String field, String message) {
}
