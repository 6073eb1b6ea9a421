package dev.herald.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {

  @Test
  void text_unless_told_otherwise() {
    assertThat(LogFormat.fromEnvironment(Map.of())).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.fromEnvironment(Map.of("HERALD_LOG_FORMAT", "text")))
        .isEqualTo(LogFormat.TEXT);
  }

  @Test
  void json_in_any_case() {
    assertThat(LogFormat.fromEnvironment(Map.of("HERALD_LOG_FORMAT", "json")))
        .isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.fromEnvironment(Map.of("HERALD_LOG_FORMAT", "JSON")))
        .isEqualTo(LogFormat.JSON);
  }

  @Test
  void an_unknown_format_stops_start_up_naming_the_setting_and_the_choices() {
    assertThatThrownBy(() -> HeraldConfig.fromEnvironment(Map.of("HERALD_LOG_FORMAT", "logfmt")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("HERALD_LOG_FORMAT=logfmt is not allowed: use one of text, json");
  }
}
