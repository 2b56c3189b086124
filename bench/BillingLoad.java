// The billing benchmark's load generator and meter: a single-file Java program (java -cp ... BillingLoad.java ...),
// run by bench/billing.sh with the jars of gateway-infra/target/lib (kafka-clients, the PostgreSQL JDBC driver).
//
//   produce --bootstrap HOST:PORT --events N [--duplicates 0.03] [--rate R] [--seed S] [--key-prefix P]
//       publishes N usage-recorded events (key = request id, JSON in the contracts' naming) as the router would:
//       realistic shapes (providers, models, keys, streaming, errors, fallbacks, configured and reported costs)
//       and a share of exact duplicates (the same bytes again, as a redelivery or a replayed spool would send).
//       --rate paces it (events/s); without it, as fast as the producer goes. Prints one RESULT line with what was
//       sent: unique events, duplicates, and the exact totals billing must end up with.
//   await --jdbc URL --user U --password P --rows N --timeout S [--key-prefix P]
//       waits until N rows of that run are in usage_record, then prints one RESULT line: the rate at which they
//       landed (from stored_at: every batch's transaction time), per-second figures, delivery delay percentiles
//       (stored_at - occurred_at), and the ledger's totals against the rollup's.
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class BillingLoad {

    record Model(String provider, String id, String in, String out, boolean reports) {
    }

    static final Model[] MODELS = {
            new Model("openai", "gpt-4o", "0.0025", "0.01", true),
            new Model("openai", "gpt-4o-mini", "0.00015", "0.0006", true),
            new Model("anthropic", "claude-3-5-sonnet", "0.003", "0.015", true),
            new Model("vllm-cluster", "llama-3-70b", "0.0001", "0.0002", false),
            new Model("tgi", "mistral-7b", null, null, false),
            new Model("together", "mixtral-8x7b", "0.0006", "0.0006", true) };

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        switch (args[0]) {
            case "produce" -> produce(opt);
            case "await" -> await(opt);
            default -> throw new IllegalArgumentException("produce or await");
        }
    }

    static void produce(Map<String, String> opt) throws Exception {
        int events = Integer.parseInt(opt.getOrDefault("events", "200000"));
        double duplicates = Double.parseDouble(opt.getOrDefault("duplicates", "0.03"));
        double rate = Double.parseDouble(opt.getOrDefault("rate", "0"));
        String prefix = opt.getOrDefault("key-prefix", "bench");
        Random random = new Random(Long.parseLong(opt.getOrDefault("seed", "7")));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, opt.get("bootstrap"));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        long unique = 0;
        long dups = 0;
        long bytes = 0;
        long promptTokens = 0;
        BigDecimal totalCost = BigDecimal.ZERO;
        BigDecimal reportedCost = BigDecimal.ZERO;
        List<Object[]> recent = new ArrayList<>();
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < events; i++) {
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 1_000_000) {
                        Thread.sleep(wait / 1_000_000);
                    }
                }
                String key;
                byte[] value;
                if (!recent.isEmpty() && random.nextDouble() < duplicates) {
                    Object[] again = recent.get(random.nextInt(recent.size()));
                    key = (String) again[0];
                    value = (byte[]) again[1];
                    dups++;
                } else {
                    String id = "req_" + prefix + "_" + new UUID(random.nextLong(), random.nextLong());
                    Event e = event(random, id, prefix);
                    key = id;
                    value = e.json.getBytes(StandardCharsets.UTF_8);
                    unique++;
                    promptTokens += e.prompt;
                    totalCost = e.total == null ? totalCost : totalCost.add(e.total);
                    reportedCost = e.reported == null ? reportedCost : reportedCost.add(e.reported);
                    if (recent.size() < 10_000) {
                        recent.add(new Object[] { key, value });
                    } else {
                        recent.set(random.nextInt(recent.size()), new Object[] { key, value });
                    }
                }
                bytes += value.length;
                producer.send(new ProducerRecord<>("usage-recorded", key, value));
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("RESULT sent=%d unique=%d duplicates=%d bytes_avg=%d seconds=%.2f rate=%.0f "
                + "prompt_tokens=%d total_cost=%s reported_cost=%s%n", unique + dups, unique, dups,
                bytes / Math.max(1, unique + dups), seconds, (unique + dups) / seconds, promptTokens,
                totalCost.toPlainString(), reportedCost.toPlainString());
    }

    record Event(String json, long prompt, BigDecimal total, BigDecimal reported) {
    }

    static Event event(Random random, String id, String prefix) {
        Model m = MODELS[random.nextInt(MODELS.length)];
        boolean stream = random.nextInt(10) < 3;
        boolean fellBack = random.nextInt(50) == 0;
        String status = random.nextInt(100) < 4 ? "error" : random.nextInt(200) == 0 ? "client_closed" : "success";
        boolean ok = !status.equals("error");
        long prompt = ok ? 20 + random.nextInt(4_000) : 0;
        long completion = ok ? 1 + random.nextInt(1_200) : 0;
        long cached = ok && random.nextInt(4) == 0 ? prompt / 2 : 0;
        BigDecimal in = m.in == null || !ok ? null : new BigDecimal(m.in).multiply(BigDecimal.valueOf(prompt))
                .divide(BigDecimal.valueOf(1000));
        BigDecimal out = m.out == null || !ok ? null : new BigDecimal(m.out).multiply(BigDecimal.valueOf(completion))
                .divide(BigDecimal.valueOf(1000));
        BigDecimal total = in == null ? null : in.add(out);
        BigDecimal reported = m.reports && total != null && random.nextInt(3) > 0
                ? total.multiply(new BigDecimal("1.0" + random.nextInt(3))).setScale(10, RoundingMode.HALF_EVEN)
                        .stripTrailingZeros()
                : null;
        long latency = 80 + random.nextInt(stream ? 9_000 : 3_000);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        StringBuilder attempts = new StringBuilder("[");
        if (fellBack) {
            attempts.append("{\"provider\":\"").append(m.provider).append("-backup\",\"endpoint\":\"")
                    .append(m.provider).append("-backup/0\",\"model\":\"").append(m.id)
                    .append("\",\"http_status\":503,\"error_code\":\"upstream_unavailable\",\"latency_ms\":")
                    .append(random.nextInt(300)).append(".").append(random.nextInt(10)).append("},");
        }
        attempts.append("{\"provider\":\"").append(m.provider).append("\",\"endpoint\":\"").append(m.provider)
                .append('/').append(random.nextInt(3)).append("\",\"model\":\"").append(m.id)
                .append("\",\"http_status\":").append(ok ? 200 : 502).append(",\"error_code\":")
                .append(ok ? "null" : "\"bad_gateway\"").append(",\"latency_ms\":").append(latency - 2)
                .append(".5}]");
        String json = "{\"schema_version\":1,\"event_id\":\"" + id + "\",\"occurred_at\":\"" + at
                + "\",\"request_id\":\"" + id + "\",\"api_key_id\":\"" + prefix + "-key-" + random.nextInt(40)
                + "\",\"requested_model\":\"" + (random.nextInt(10) == 0 ? "auto" : m.id) + "\",\"served_model\":\""
                + m.id + "\",\"provider\":\"" + m.provider + "\",\"endpoint\":\"" + m.provider + "/0\","
                + "\"strategy\":\"cost\",\"attempts\":" + (fellBack ? 2 : 1) + ",\"status\":\"" + status
                + "\",\"http_status\":" + (ok ? 200 : 502) + ",\"error_type\":" + (ok ? "null" : "\"upstream_error\"")
                + ",\"stream\":" + stream + ",\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"cached_tokens\":" + cached + ",\"tokens_estimated\":" + (stream && random.nextInt(5) == 0)
                + ",\"input_cost\":" + plain(in) + ",\"output_cost\":" + plain(out) + ",\"total_cost\":" + plain(total)
                + ",\"reported_cost\":" + plain(reported) + ",\"latency_ms\":" + latency
                + ",\"time_to_first_token_ms\":" + (stream ? Integer.toString(40 + random.nextInt(400)) : "null")
                + ",\"operation\":\"chat\",\"upstream_model\":\"" + m.id + "\",\"error_code\":"
                + (ok ? "null" : "\"bad_gateway\"") + ",\"attempt_log\":" + attempts + "}";
        return new Event(json, prompt, total, reported);
    }

    static String plain(BigDecimal value) {
        return value == null ? "null" : value.toPlainString();
    }

    static void await(Map<String, String> opt) throws Exception {
        long rows = Long.parseLong(opt.get("rows"));
        long timeout = Long.parseLong(opt.getOrDefault("timeout", "900"));
        String like = "req_" + opt.getOrDefault("key-prefix", "bench") + "_%";
        long deadline = System.nanoTime() + timeout * 1_000_000_000L;
        try (Connection c = DriverManager.getConnection(opt.get("jdbc"), opt.get("user"), opt.get("password"))) {
            long stored = 0;
            while (System.nanoTime() < deadline) {
                try (PreparedStatement s = c.prepareStatement(
                        "select count(*) from usage_record where request_id like ?")) {
                    s.setString(1, like);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        stored = rs.getLong(1);
                    }
                }
                if (stored >= rows) {
                    break;
                }
                Thread.sleep(1000);
            }
            if (stored < rows) {
                System.out.printf("RESULT stored=%d expected=%d timeout=true%n", stored, rows);
                System.exit(1);
            }
            report(c, like, stored);
        }
    }

    static void report(Connection c, String like, long stored) throws Exception {
        // one row per batch transaction: when it ran and how many rows it stored
        List<long[]> batches = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select (extract(epoch from stored_at) * 1000000)::bigint, "
                + "count(*) from usage_record where request_id like ? group by 1 order by 1")) {
            s.setString(1, like);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    batches.add(new long[] { rs.getLong(1), rs.getLong(2) });
                }
            }
        }
        long first = batches.get(0)[0];
        long last = batches.get(batches.size() - 1)[0];
        // steady state: from the batch that crosses 10 % of the rows to the one that crosses 90 %
        long seen = 0;
        long t10 = -1;
        long t90 = -1;
        long n10 = 0;
        long n90 = 0;
        for (long[] b : batches) {
            if (t10 < 0 && seen + b[1] >= stored / 10) {
                t10 = b[0];
                n10 = seen;
            }
            seen += b[1];
            if (t90 < 0 && seen >= stored * 9 / 10) {
                t90 = b[0];
                n90 = seen - b[1];
            }
        }
        double overall = (stored - batches.get(batches.size() - 1)[1]) / ((last - first) / 1e6);
        double steady = (n90 - n10) / Math.max(1e-6, (t90 - t10) / 1e6);
        // the best and worst whole seconds between 10 % and 90 %
        Map<Long, Long> perSecond = new HashMap<>();
        for (long[] b : batches) {
            if (b[0] >= t10 && b[0] < t90) {
                perSecond.merge(b[0] / 1_000_000, b[1], Long::sum);
            }
        }
        List<Long> seconds = new ArrayList<>(perSecond.keySet());
        seconds.sort(null);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 1; i < seconds.size() - 1; i++) {
            long v = perSecond.get(seconds.get(i));
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        String delay = "";
        try (PreparedStatement s = c.prepareStatement("select percentile_disc(array[0.5, 0.99, 1.0]) within group "
                + "(order by extract(epoch from stored_at - occurred_at)) from usage_record where request_id like ?")) {
            s.setString(1, like);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                Object[] p = (Object[]) rs.getArray(1).getArray();
                delay = String.format("delay_p50_s=%.3f delay_p99_s=%.3f delay_max_s=%.3f", ((Number) p[0])
                        .doubleValue(), ((Number) p[1]).doubleValue(), ((Number) p[2]).doubleValue());
            }
        }
        String totals;
        try (PreparedStatement s = c.prepareStatement("select sum(prompt_tokens), sum(total_cost), "
                + "sum(reported_cost) from usage_record where request_id like ?")) {
            s.setString(1, like);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                totals = "ledger_prompt_tokens=" + rs.getLong(1) + " ledger_total_cost="
                        + rs.getBigDecimal(2).toPlainString() + " ledger_reported_cost="
                        + rs.getBigDecimal(3).toPlainString();
            }
        }
        String rollup;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select sum(requests), sum(prompt_tokens), sum(total_cost) "
                        + "from usage_hourly")) {
            rs.next();
            rollup = "rollup_requests=" + rs.getLong(1) + " rollup_prompt_tokens=" + rs.getLong(2)
                    + " rollup_total_cost=" + rs.getBigDecimal(3).stripTrailingZeros().toPlainString();
        }
        System.out.printf("RESULT stored=%d batches=%d avg_batch=%d first_to_last_s=%.2f overall_rate=%.0f "
                + "steady_rate=%.0f steady_second_min=%d steady_second_max=%d %s %s %s%n", stored, batches.size(),
                stored / batches.size(), (last - first) / 1e6, overall, steady, min == Long.MAX_VALUE ? 0 : min, max,
                delay, totals, rollup);
    }
}
