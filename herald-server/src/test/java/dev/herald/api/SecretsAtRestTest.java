package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiContractTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Endpoint secrets and custom headers never reach the database in clear. */
class SecretsAtRestTest extends ApiContractTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ROTATED = "whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB";
  private static final String HEADER_VALUE = "Bearer tenant-token-4f9a1c";

  @Test
  void the_database_holds_no_secret_or_header_value_in_clear() {
    String app = api.post("/api/v1/app", Map.of("name", "At rest")).field("id");
    String base = "/api/v1/app/" + app + "/endpoint";
    String id =
        api.post(base, Map.of("url", "https://example.com/hook", "secret", SECRET)).field("id");
    api.put(base + "/" + id + "/headers", Map.of("headers", Map.of("Authorization", HEADER_VALUE)));
    api.post(base + "/" + id + "/secret/rotate", Map.of("key", ROTATED));
    assertThat(api.get(base + "/" + id + "/secret").field("key")).isEqualTo(ROTATED);

    List<String> rows =
        server
            .herald()
            .database()
            .read(
                sql ->
                    sql.query(
                        "SELECT url, metadata, secret_enc, old_secrets_enc, headers_enc FROM endpoint WHERE id = ?",
                        rs -> {
                          List<String> cells = new ArrayList<>();
                          for (int i = 1; i <= 5; i++) {
                            cells.add(String.valueOf(rs.getString(i)));
                          }
                          return String.join("|", cells);
                        },
                        id));

    assertThat(rows).hasSize(1);
    String stored = rows.get(0);
    for (String plain :
        List.of(
            SECRET,
            SECRET.substring(6),
            ROTATED,
            ROTATED.substring(6),
            HEADER_VALUE,
            "tenant-token")) {
      assertThat(stored).as("stored row must not contain %s", plain).doesNotContain(plain);
    }
    assertThat(stored).contains("v1:");
  }

  @Test
  void api_keys_are_stored_as_hashes_only() {
    String token =
        api.post(
                "/api/v1/auth/app-portal-access/"
                    + api.post("/api/v1/app", Map.of("name", "k")).field("id"),
                Map.of())
            .field("token");

    long clear =
        server
            .herald()
            .database()
            .read(
                sql ->
                    sql.queryLong(
                        "SELECT COUNT(*) FROM api_key WHERE key_hash = ? OR key_hash = ?",
                        token,
                        server.adminKey()));

    assertThat(clear).isZero();
  }
}
