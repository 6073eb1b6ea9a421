package dev.herald.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeraldConfigTest {

  private static HeraldConfig config(Map<String, String> env) {
    return HeraldConfig.fromEnvironment(env);
  }

  @Test
  void an_empty_environment_gives_the_documented_defaults() {
    HeraldConfig c = config(Map.of());

    assertThat(c.http().port()).isEqualTo(HttpConfig.DEFAULT_PORT);
    assertThat(c.storage().dataDir()).isEqualTo(Path.of(StorageConfig.DEFAULT_DATA_DIR));
    assertThat(c.storage().databaseUrl()).isNull();
    assertThat(c.http().maxPayloadBytes()).isEqualTo(HttpConfig.DEFAULT_MAX_PAYLOAD_BYTES);
    assertThat(c.portal().tokenTtl()).isEqualTo(PortalConfig.DEFAULT_TOKEN_TTL);
    assertThat(c.databaseSettings().jdbcUrl()).startsWith("jdbc:sqlite:").endsWith("herald.db");
  }

  @Test
  void port_zero_is_allowed_so_the_system_picks_a_free_port() {
    assertThat(config(Map.of("HERALD_PORT", "0")).http().port()).isZero();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "HERALD_PORT, abc",
    "HERALD_PORT, 70000",
    "HERALD_PORT, -1",
    "HERALD_BOOTSTRAP_API_KEY, short",
    "HERALD_DATABASE_URL, mysql://x",
    "HERALD_DATABASE_URL, jdbc:mysql://localhost/herald",
    "HERALD_MAIN_SECRET, not-32-characters-long",
    "HERALD_MAX_PAYLOAD_SIZE, 10",
    "HERALD_MAX_PAYLOAD_SIZE, 1TB",
    "HERALD_DATABASE_POOL_SIZE, 0",
    "HERALD_PORTAL_TOKEN_TTL, 5 minutes",
    "HERALD_PUBLIC_URL, ftp://herald.example",
    "HERALD_PORTAL_FRAME_ANCESTORS, *",
    "HERALD_PORTAL_FRAME_ANCESTORS, https://a.example; script-src *",
    "HERALD_PORTAL_FRAME_ANCESTORS, app.example.com",
    "HERALD_HTTP_IDLE_TIMEOUT, 0s",
    "HERALD_HTTP_IDLE_TIMEOUT, 2d",
  })
  void an_invalid_setting_fails_with_a_message_naming_it(String name, String value) {
    assertThatThrownBy(() -> config(Map.of(name, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(name);
  }

  @Test
  void the_http_idle_timeout_is_thirty_seconds_unless_set() {
    assertThat(config(Map.of()).http().idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(config(Map.of("HERALD_HTTP_IDLE_TIMEOUT", "5s")).http().idleTimeout())
        .isEqualTo(java.time.Duration.ofSeconds(5));
  }

  @Test
  void payload_validation_is_off_unless_set_to_true_and_a_typo_stops_start_up() {
    assertThat(config(Map.of()).validatePayloads()).isFalse();
    assertThat(config(Map.of("HERALD_VALIDATE_PAYLOADS", "TRUE")).validatePayloads()).isTrue();
    assertThat(config(Map.of("HERALD_VALIDATE_PAYLOADS", "false")).validatePayloads()).isFalse();
    assertThatThrownBy(() -> config(Map.of("HERALD_VALIDATE_PAYLOADS", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HERALD_VALIDATE_PAYLOADS=yes")
        .hasMessageContaining("true or false");
  }

  @Test
  void an_out_of_range_port_names_the_allowed_range() {
    assertThatThrownBy(() -> config(Map.of("HERALD_PORT", "70000")))
        .hasMessageContaining("HERALD_PORT=70000")
        .hasMessageContaining("0..65535");
  }

  @Test
  void a_rejected_bootstrap_key_is_never_echoed_in_the_message() {
    assertThatThrownBy(() -> config(Map.of("HERALD_BOOTSTRAP_API_KEY", "s3cr3t-short")))
        .isInstanceOf(ConfigException.class)
        .message()
        .doesNotContain("s3cr3t-short");
  }

  @Test
  void a_postgresql_url_selects_postgresql() {
    HeraldConfig c =
        config(
            Map.of(
                "HERALD_DATABASE_URL", "jdbc:postgresql://db:5432/herald",
                "HERALD_DATABASE_USER", "herald",
                "HERALD_DATABASE_PASSWORD", "pw"));

    assertThat(c.databaseSettings().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/herald");
    assertThat(c.databaseSettings().user()).isEqualTo("herald");
  }

  @Test
  void sizes_accept_binary_units() {
    assertThat(config(Map.of("HERALD_MAX_PAYLOAD_SIZE", "512KiB")).http().maxPayloadBytes())
        .isEqualTo(512 * 1024);
    assertThat(config(Map.of("HERALD_MAX_PAYLOAD_SIZE", "2MiB")).http().maxPayloadBytes())
        .isEqualTo(2 << 20);
  }

  @Test
  void describe_masks_secrets() {
    String line =
        config(
                Map.of(
                    "HERALD_BOOTSTRAP_API_KEY", "hk_bootstrap_secret_value",
                    "HERALD_MAIN_SECRET", "main-secret-main-secret-main-secret-0",
                    "HERALD_DATABASE_URL", "jdbc:postgresql://db/herald?user=u&password=hunter2"))
            .describe();

    assertThat(line)
        .doesNotContain("hk_bootstrap_secret_value")
        .doesNotContain("main-secret-main-secret")
        .doesNotContain("hunter2");
  }
}
