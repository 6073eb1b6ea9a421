package dev.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Backend;
import dev.herald.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** First start of an installation: the admin key, shown once and stored only as a hash. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class BootstrapTest {
  @Parameter Backend backend;

  private static String sha256Hex(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Every value of every api_key row, as text. */
  private static List<String> apiKeyColumns(TestServer server) {
    return server
        .herald()
        .database()
        .read(
            sql ->
                sql.query(
                    "SELECT * FROM api_key",
                    rs -> {
                      List<String> values = new ArrayList<>();
                      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        values.add(rs.getString(i));
                      }
                      return values;
                    }))
        .stream()
        .flatMap(List::stream)
        .toList();
  }

  private static List<String> keyHashes(TestServer server) {
    return server
        .herald()
        .database()
        .read(
            sql ->
                sql.query(
                    "SELECT key_hash FROM api_key ORDER BY id", (ResultSet rs) -> rs.getString(1)));
  }

  @Test
  void a_first_start_without_a_bootstrap_key_generates_an_admin_key_that_works() {
    try (TestServer server = TestServer.builder(backend).withoutBootstrapKey().start()) {
      String key = server.herald().generatedAdminKey().orElseThrow();

      assertThat(key).startsWith("hk_").hasSizeGreaterThan(40);
      assertThat(server.api(key).get("/api/v1/app").status()).isEqualTo(200);
    }
  }

  @Test
  void a_restart_generates_no_new_key_and_the_first_one_keeps_working() {
    try (TestServer server = TestServer.builder(backend).withoutBootstrapKey().start()) {
      String key = server.adminKey();

      server.restart();

      assertThat(server.herald().generatedAdminKey()).isEmpty();
      assertThat(keyHashes(server)).hasSize(1);
      assertThat(server.api(key).get("/api/v1/app").status()).isEqualTo(200);
    }
  }

  @Test
  void the_database_holds_only_the_sha256_of_the_generated_key() throws Exception {
    try (TestServer server = TestServer.builder(backend).withoutBootstrapKey().start()) {
      String key = server.adminKey();

      assertThat(keyHashes(server)).containsExactly(sha256Hex(key));
      assertThat(apiKeyColumns(server)).noneMatch(v -> v != null && v.contains(key.substring(3)));
    }
  }

  @Test
  void a_configured_bootstrap_key_is_stored_only_as_its_hash_and_nothing_is_generated()
      throws Exception {
    try (TestServer server = TestServer.start(backend)) {
      assertThat(server.herald().generatedAdminKey()).isEmpty();
      assertThat(keyHashes(server)).containsExactly(sha256Hex(TestServer.ADMIN_KEY));
      assertThat(apiKeyColumns(server))
          .noneMatch(v -> v != null && v.contains(TestServer.ADMIN_KEY));
      assertThat(server.api().get("/api/v1/app").status()).isEqualTo(200);
    }
  }

  @Test
  void portal_tokens_are_stored_only_as_their_hash() throws Exception {
    try (TestServer server = TestServer.start(backend)) {
      var api = server.api();
      api.post("/api/v1/app", java.util.Map.of("name", "Portal", "uid", "portal"));
      String token =
          api.post("/api/v1/auth/app-portal-access/portal", java.util.Map.of()).field("token");

      assertThat(keyHashes(server)).contains(sha256Hex(token));
      assertThat(apiKeyColumns(server)).noneMatch(v -> v != null && v.contains(token));
    }
  }
}
