package io.visca.gateway.providers;

/**
 * A Test Connection request that cannot be made (e.g. {@code custom}'s request transform fails on a one-token chat):
 * nothing is sent. Its message is the report's detail: never a secret, of an upstream's words at most what
 * {@link Transforms#said} let through.
 */
public final class CheckFailure extends RuntimeException {

    public CheckFailure(String detail) {
        super(detail, null, false, false);
    }
}
