package io.visca.gateway.registry.error;

/**
 * One problem of a request body.
 *
 * @param field path of the offending field, e.g. {@code endpoints[1].base_url}; empty for the whole body
 * @param message what is wrong and what is expected; never contains a secret value
 */
public record Violation(String field, String message) {
}
