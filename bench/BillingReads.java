// bench/reads.sh's loader and meter: a single-file Java program compiled by the script against gateway-infra/target/lib
// (the PostgreSQL JDBC driver).
//
//   load --jdbc URL --user U --password P --file reads-load.sql --days D --rate R --keys K --raw-hours H
//       runs the loader's statements one by one (printing each one's time), then prints one RESULT line with the
//       rows in every table.
//   measure --url http://HOST:PORT --token T --calls N [--warmup W]
//       times every finance and monitoring read the dashboard makes (and the finance API's own), N calls each after W
//       warm-up calls, one at a time, and each Monitoring page's reads fired together as the dashboard fires them;
//       prints one RESULT line per query: p50, p99, max in ms, the answer's size and status.
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

public class BillingReads {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        switch (args[0]) {
            case "load" -> load(opt);
            case "measure" -> measure(opt);
            default -> throw new IllegalArgumentException("load or measure");
        }
    }

    static void load(Map<String, String> opt) throws Exception {
        String sql = Files.readString(Path.of(opt.get("file")));
        for (String name : List.of("days", "rate", "keys", "raw_hours")) {
            sql = sql.replace("${" + name + "}", opt.get(name.replace('_', '-')));
        }
        StringBuilder clean = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                clean.append(line).append('\n');
            }
        }
        try (Connection c = DriverManager.getConnection(opt.get("jdbc"), opt.get("user"), opt.get("password"));
                Statement s = c.createStatement()) {
            for (String statement : clean.toString().split(";\\s*\n")) {
                if (statement.isBlank()) {
                    continue;
                }
                long start = System.nanoTime();
                s.execute(statement);
                String head = statement.strip().replaceAll("\\s+", " ");
                System.out.printf("  %6.1f s  %s%n", (System.nanoTime() - start) / 1e9,
                        head.substring(0, Math.min(90, head.length())));
            }
            StringBuilder result = new StringBuilder("RESULT");
            for (String table : List.of("usage_record", "usage_minute", "usage_hourly", "usage_series_minute",
                    "usage_series_hourly")) {
                try (ResultSet rs = s.executeQuery("select count(*), pg_total_relation_size('" + table + "') + "
                        + "coalesce((select sum(pg_total_relation_size(inhrelid)) from pg_inherits where inhparent = '"
                        + table + "'::regclass), 0) from " + table)) {
                    rs.next();
                    result.append(' ').append(table).append("_rows=").append(rs.getLong(1)).append(' ').append(table)
                            .append("_mb=").append(rs.getLong(2) / 1_000_000);
                }
            }
            try (ResultSet rs = s.executeQuery("select min(occurred_at), max(occurred_at) from usage_record")) {
                rs.next();
                result.append(" raw_from=").append(rs.getTimestamp(1).toInstant()).append(" raw_to=")
                        .append(rs.getTimestamp(2).toInstant());
            }
            try (ResultSet rs = s.executeQuery("select min(minute), sum(requests) from usage_minute")) {
                rs.next();
                result.append(" rollup_from=").append(rs.getTimestamp(1).toInstant()).append(" requests=")
                        .append(rs.getLong(2));
            }
            System.out.println(result);
        }
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static void measure(Map<String, String> opt) throws Exception {
        String url = opt.get("url");
        String token = opt.get("token");
        int calls = Integer.parseInt(opt.getOrDefault("calls", "100"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "5"));
        Instant now = Instant.now();
        Map<String, List<String>> pages = new LinkedHashMap<>();
        // the Monitoring page (MonitoringPage.show): per window its chart, totals, spend table and reconciliation
        for (String[] w : new String[][] { { "hour", "PT1H", "minute" }, { "day", "PT24H", "hour" },
                { "week", "P7D", "hour" } }) {
            Duration length = w[1].startsWith("P7") ? Duration.ofDays(7) : Duration.parse(w[1]);
            String from = enc(now.minus(length));
            String to = enc(now);
            Instant hourFrom = now.minus(length).truncatedTo(ChronoUnit.HOURS);
            Instant hourTo = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
            String range = "from=" + from + "&to=" + to;
            pages.put("monitoring " + w[0], List.of(
                    "/api/usage/timeseries?" + range + "&bucket=" + w[2],
                    "/api/usage/summary?" + range,
                    "/api/usage/summary?group_by=provider,model,api_key&" + range,
                    "/api/usage/reconciliation?from=" + enc(hourFrom) + "&to=" + enc(hourTo)));
            pages.put("monitoring " + w[0] + ", provider+model filter", List.of(
                    "/api/usage/timeseries?" + range + "&bucket=" + w[2] + "&provider=openai&model=gpt-4o",
                    "/api/usage/summary?" + range + "&provider=openai&model=gpt-4o",
                    "/api/usage/summary?group_by=provider,model,api_key&" + range + "&provider=openai&model=gpt-4o",
                    "/api/usage/reconciliation?from=" + enc(hourFrom) + "&to=" + enc(hourTo)
                            + "&provider=openai&model=gpt-4o"));
        }
        String day = "from=" + enc(now.minus(Duration.ofHours(24))) + "&to=" + enc(now);
        List<String> single = new ArrayList<>();
        pages.values().forEach(single::addAll);
        single.addAll(List.of(
                // the Providers page: 24 h per provider
                "/api/usage/summary?group_by=provider&" + day,
                // the budget alert pages
                "/api/budget-alerts?limit=5",
                // the finance API over its defaults (30 days) and the widest groupings
                "/api/usage/summary",
                "/api/usage/summary?group_by=provider,model,api_key,day",
                "/api/usage/summary?group_by=team,day",
                "/api/usage/summary?group_by=hour,provider",
                "/api/usage/reconciliation",
                "/api/usage/timeseries?bucket=day&from=" + enc(now.minus(Duration.ofDays(30))) + "&to=" + enc(now),
                "/api/usage/timeseries?bucket=hour&" + day + "&api_key=bench-key-007",
                "/api/usage/timeseries?bucket=minute&from=" + enc(now.minus(Duration.ofHours(1))) + "&to="
                        + enc(now) + "&team=team-3",
                "/api/usage/records?limit=100",
                "/api/usage/records?limit=100&provider=anthropic&" + day,
                "/api/usage/export?from=" + enc(now.minus(Duration.ofSeconds(10))) + "&to=" + enc(now)));
        for (String path : new java.util.LinkedHashSet<>(single)) {
            long[] ms = new long[calls];
            int status = 0;
            long bytes = 0;
            for (int i = -warmup; i < calls; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> r = get(url + path, token);
                long took = (System.nanoTime() - start) / 1_000;
                if (i >= 0) {
                    ms[i] = took;
                }
                status = r.statusCode();
                bytes = r.body().length;
            }
            report("query", path, ms, status, bytes);
        }
        for (Map.Entry<String, List<String>> page : pages.entrySet()) {
            long[] ms = new long[calls];
            int worst = 200;
            for (int i = -warmup; i < calls; i++) {
                long start = System.nanoTime();
                List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
                for (String path : page.getValue()) {
                    all.add(HTTP.sendAsync(request(url + path, token), HttpResponse.BodyHandlers.ofByteArray()));
                }
                for (CompletableFuture<HttpResponse<byte[]>> f : all) {
                    worst = Math.max(worst, f.get().statusCode());
                }
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - start) / 1_000;
                }
            }
            report("page", page.getKey().replace(' ', '_'), ms, worst, 0);
        }
    }

    static void report(String kind, String what, long[] micros, int status, long bytes) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.printf("RESULT kind=%s p50_ms=%.1f p99_ms=%.1f max_ms=%.1f status=%d bytes=%d calls=%d what=%s%n",
                kind, sorted[sorted.length / 2] / 1e3, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e3,
                sorted[sorted.length - 1] / 1e3, status, bytes, sorted.length, what);
    }

    static HttpResponse<byte[]> get(String url, String token) throws Exception {
        return HTTP.send(request(url, token), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpRequest request(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build();
    }

    static String enc(Instant t) {
        return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }
}
