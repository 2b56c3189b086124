package io.visca.gateway.billing.finance;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * The CSV export: the header, every matching record newest first across several internal pages (the test profile
 * reads 7 rows per query), RFC 4180 quoting, and text a spreadsheet would run as a formula defused.
 */
@QuarkusTest
class UsageExportTests {

    static final String HEADER = "request_id,occurred_at,api_key_id,provider,endpoint,requested_model,served_model,"
            + "upstream_model,operation,strategy,status,http_status,error_type,error_code,stream,attempts,"
            + "prompt_tokens,completion_tokens,cached_tokens,total_tokens,tokens_estimated,input_cost,output_cost,"
            + "total_cost,reported_cost,latency_ms,time_to_first_token_ms,attempt_log,event_id,team";

    @Test
    void exportsEveryMatchingRecordAsQuotedCsv() {
        String key = UsageEvents.unique("key");
        Instant day = FinanceApi.freshDays(1);
        List<UsageRecorded> events = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            events.add(EventBuilder.event().key(key).at(day.plusSeconds(100L * i)).cost("0.00012", "0.0000031")
                    .build());
        }
        UsageRecorded tricky = EventBuilder.event().key(key).at(day.plusSeconds(5_000)).model("my,model \"v2\"")
                .requestedModel("=HYPERLINK(\"http://x\")").status("error").errorCode("line one\r\nline two")
                .cost(null, null).reported("0.5").build();
        events.add(tricky);
        UsageEvents.send(events);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == events.size());

        String csv = FinanceApi.api().queryParam("api_key", key).get("/api/usage/export").then().statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("Content-Disposition", containsString("attachment; filename=\"usage"))
                .extract().asString();

        List<List<String>> rows = parse(csv);
        assertEquals(List.of(HEADER.split(",")), rows.get(0), "header");
        List<UsageRecorded> newestFirst = events.stream().sorted(Comparator.comparing(UsageRecorded::occurredAt)
                .reversed()).toList();
        assertEquals(newestFirst.size() + 1, rows.size(), "a row per record");
        for (int i = 0; i < newestFirst.size(); i++) {
            assertEquals(newestFirst.get(i).requestId(), rows.get(i + 1).get(0), "row " + (i + 1));
            assertEquals(newestFirst.get(i).eventId(), rows.get(i + 1).get(28), "event_id of row " + (i + 1));
            assertEquals(HEADER.split(",").length, rows.get(i + 1).size(), "fields of row " + (i + 1));
        }
        List<String> first = rows.get(1);
        assertEquals(tricky.requestId(), first.get(0));
        assertEquals("my,model \"v2\"", first.get(6), "comma and quotes survive quoting");
        assertEquals("'=HYPERLINK(\"http://x\")", first.get(5), "a formula is defused");
        assertEquals("line one\r\nline two", first.get(13), "line breaks inside a quoted field");
        assertEquals("", first.get(21), "no configured input cost");
        assertEquals("0.50", first.get(24), "reported cost");
        assertEquals("[{\"provider\":\"openai\",\"endpoint\":\"openai/0\",\"model\":\"my,model \\\"v2\\\"\","
                + "\"http_status\":502,\"error_code\":\"line one\\r\\nline two\",\"latency_ms\":118.5}]",
                first.get(27), "attempt_log as JSON");
        List<String> plain = rows.get(2);
        assertEquals(day.plusSeconds(1_800).toString(), plain.get(1));
        assertEquals(List.of("0.00012", "0.0000031", "0.0001231", ""), plain.subList(21, 25));
        assertEquals(List.of("100", "20", "0", "120", "false"), plain.subList(16, 21));
        String raw = csv.substring(csv.indexOf("\r\n") + 2);
        assertEquals(tricky.requestId() + ",", raw.substring(0, tricky.requestId().length() + 1));
        assertEquals(true, raw.contains("\"my,model \"\"v2\"\"\""), "RFC 4180: quotes doubled inside quotes");
    }

    @Test
    void anEmptySelectionIsTheHeaderAlone() {
        String csv = FinanceApi.api().queryParam("api_key", UsageEvents.unique("nobody"))
                .get("/api/usage/export").then().statusCode(200).extract().asString();
        assertEquals(HEADER + "\r\n", csv);
    }

    /** RFC 4180: fields split on commas outside quotes, records on CRLF outside quotes, "" is a quote. */
    static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertEquals(0, field.length() + row.size(), "the export ends with CRLF");
        return rows;
    }
}
