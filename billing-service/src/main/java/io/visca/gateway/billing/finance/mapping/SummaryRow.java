package io.visca.gateway.billing.finance.mapping;

import java.io.IOException;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * One row of a summary: the values of the grouped dimensions (exactly those in {@code group_by}, in its order; null
 * where a request had none, e.g. no provider was reached), then the totals, all in one flat object:
 * {@code {"provider":"openai","day":"2026-01-31","requests":12,...}}.
 */
@JsonSerialize(using = SummaryRow.Writer.class)
@Schema(description = "The grouped dimensions (provider, model, api_key_id, day as YYYY-MM-DD, hour as an instant), "
        + "those of group_by only, followed by the fields of the totals", implementation = UsageTotals.class)
public record SummaryRow(Map<String, String> dimensions, UsageTotals totals) {

    /** Writes the dimensions, then the totals' fields unwrapped (named by the configured naming strategy). */
    public static class Writer extends JsonSerializer<SummaryRow> {
        @Override
        public void serialize(SummaryRow row, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeStartObject();
            for (Map.Entry<String, String> dimension : row.dimensions().entrySet()) {
                gen.writeStringField(dimension.getKey(), dimension.getValue());
            }
            serializers.findValueSerializer(UsageTotals.class).unwrappingSerializer(null)
                    .serialize(row.totals(), gen, serializers);
            gen.writeEndObject();
        }
    }
}
