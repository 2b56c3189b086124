package io.visca.gateway.billing.error;

/**
 * One problem of a request: a query parameter and what is wrong with it.
 *
 * @param field the query parameter, e.g. {@code from}
 * @param message what is wrong and what is expected; never contains a secret value
 */
public record Violation(String field, String message) {
}
