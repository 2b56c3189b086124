package io.visca.gateway.registry.provider.client;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.outbound.UpstreamExcerpt;
import io.visca.gateway.providers.Transforms;
import io.visca.gateway.registry.provider.mapping.JqPrograms;

/**
 * {@code custom}'s transforms as Test Connection runs them: jq within the {@code registry.jq.*} bounds
 * ({@link JqPrograms}). jq's own message may quote the data (an upstream's whole body): only a short sanitized
 * excerpt is repeated, marked as jq's words.
 */
final class JqTransforms implements Transforms {

    static final JqTransforms INSTANCE = new JqTransforms();

    private JqTransforms() {
    }

    @Override
    public JsonNode apply(String program, JsonNode input) throws Exception {
        return JqPrograms.apply(program, input);
    }

    @Override
    public String said(Exception failure) {
        String quoted = UpstreamExcerpt.quote("jq", failure.getMessage());
        return quoted.isEmpty() ? "" : ": " + quoted;
    }
}
