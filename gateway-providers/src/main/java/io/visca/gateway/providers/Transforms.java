package io.visca.gateway.providers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The provider's own transforms ({@code custom}'s jq programs), run by the caller within its bounds: this module
 * neither runs jq nor quotes what a failing program said.
 */
public interface Transforms {

    /** None: for the types without transforms. */
    Transforms NONE = new Transforms() {
        @Override
        public JsonNode apply(String program, JsonNode input) {
            throw new UnsupportedOperationException("no transforms");
        }

        @Override
        public String said(Exception failure) {
            return "";
        }
    };

    /**
     * Runs {@code program} on {@code input}.
     *
     * @return its first output
     * @throws Exception when it does not compile, fails, outputs nothing or reaches a bound
     */
    JsonNode apply(String program, JsonNode input) throws Exception;

    /** What may be repeated of a failure of {@link #apply} (a short sanitized excerpt, e.g. {@code : jq said '…'}). */
    String said(Exception failure);
}
