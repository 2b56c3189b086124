package io.visca.gateway.billing.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * {@link UsageEventParser} on its own: the ids an event needs. The event id is the ledger's key, so an event without
 * a usable one is refused (the consumer then logs and skips it, as {@code UsageIngestTests} shows); the request id is
 * the client's correlation id, which other events may share.
 */
class UsageEventParserTests {

    private final UsageEventParser parser = new UsageEventParser(UsageEvents.JSON);

    @Test
    void readsTheEventIdAndTheRequestIdApart() {
        UsageRecorded event = EventBuilder.event().eventId("3f2c9a4e-0d51-4b7e-9a2f-6c1d8e7b5a40")
                .requestId("client-correlation-1").build();
        UsageEventParser.Parsed parsed = parser.parse(UsageEvents.json(event));
        assertNull(parsed.problem());
        assertEquals("3f2c9a4e-0d51-4b7e-9a2f-6c1d8e7b5a40", parsed.event().eventId());
        assertEquals("client-correlation-1", parsed.event().requestId());
    }

    @ParameterizedTest(name = "event_id {0}")
    @CsvSource(delimiter = '|', value = {
            "absent      | event_id is missing",
            "null        | event_id is missing",
            "empty       | event_id is missing",
            "blank       | event_id is missing",
            "257 chars   | event_id is longer than 256 characters",
            "a NUL       | event_id contains a NUL character",
            "an object   | wrong type or value for event_id" })
    void refusesAnEventWithoutAUsableEventId(String shape, String problem) {
        String valid = new String(UsageEvents.json(EventBuilder.event().eventId("EVENT").build()),
                StandardCharsets.UTF_8);
        String replacement = switch (shape) {
            case "absent" -> "";
            case "null" -> "\"event_id\":null,";
            case "empty" -> "\"event_id\":\"\",";
            case "blank" -> "\"event_id\":\" \\t \",";
            case "257 chars" -> "\"event_id\":\"" + "e".repeat(257) + "\",";
            case "a NUL" -> "\"event_id\":\"ev\\u0000ent\",";
            case "an object" -> "\"event_id\":{\"id\":1},";
            default -> throw new IllegalArgumentException(shape);
        };
        String value = valid.replace("\"event_id\":\"EVENT\",", replacement);
        assertTrue(!value.equals(valid), "the test changed the event id");
        UsageEventParser.Parsed parsed = parser.parse(value.getBytes(StandardCharsets.UTF_8));
        assertNull(parsed.event());
        assertTrue(parsed.problem().startsWith(problem), parsed.problem());
    }

    @Test
    void takesAnEventIdOf256Characters() {
        UsageRecorded event = EventBuilder.event().eventId("e".repeat(256)).build();
        assertNull(parser.parse(UsageEvents.json(event)).problem());
    }

    @Test
    void stillRequiresTheRequestId() {
        UsageRecorded event = EventBuilder.event().requestId(" ").build();
        assertEquals("request_id is missing", parser.parse(UsageEvents.json(event)).problem());
    }
}
