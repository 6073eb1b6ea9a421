package dev.herald.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.config.LogFormat;
import dev.herald.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogConfiguratorTest {
  private final LoggerContext context = new LoggerContext();

  LogConfiguratorTest() {
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  private String encode(LogFormat format, Level level, String message, Throwable error) {
    Logger logger = context.getLogger("dev.herald.delivery.Dispatcher");
    ILoggingEvent event =
        new LoggingEvent(Logger.class.getName(), logger, level, message, error, null);
    return new String(
        LogConfigurator.encoder(format, context).encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void text_is_one_readable_line_with_time_level_logger_and_message() {
    String line = encode(LogFormat.TEXT, Level.INFO, "delivery dlv_1 delivered", null);

    assertThat(line).endsWith("\n").doesNotContain("\r");
    assertThat(line.strip()).doesNotContain("\n");
    assertThat(line)
        .matches(
            "(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  \\[.*] "
                + "dev\\.herald\\.delivery\\.Dispatcher - delivery dlv_1 delivered\n");
  }

  @Test
  void json_is_one_object_per_line_even_with_a_stack_trace() throws Exception {
    String out =
        encode(
            LogFormat.JSON,
            Level.WARN,
            "claim loop failed; will keep running",
            new IllegalStateException("database gone\nsecond line"));

    assertThat(out).endsWith("\n");
    List<String> lines = out.lines().toList();
    assertThat(lines).hasSize(1);
    JsonNode event = Json.MAPPER.readTree(lines.get(0));
    assertThat(event.path("level").asText()).isEqualTo("WARN");
    assertThat(event.path("loggerName").asText()).isEqualTo("dev.herald.delivery.Dispatcher");
    assertThat(event.path("formattedMessage").asText())
        .isEqualTo("claim loop failed; will keep running");
    assertThat(event.path("timestamp").asLong()).isPositive();
    assertThat(event.path("throwable").path("message").asText())
        .isEqualTo("database gone\nsecond line");
  }

  @Test
  void herald_logs_at_info_to_stderr_and_chatty_libraries_at_warn() {
    new LogConfigurator().configure(context);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(root.getAppender("console"))
        .isInstanceOfSatisfying(
            ConsoleAppender.class,
            console -> assertThat(console.getTarget()).isEqualTo("System.err"));
    for (String library :
        List.of("org.flywaydb", "com.zaxxer.hikari", "org.eclipse.jetty", "io.javalin")) {
      assertThat(context.getLogger(library + ".some.Class").getEffectiveLevel())
          .as(library)
          .isEqualTo(Level.WARN);
    }
    assertThat(context.getLogger("dev.herald.api.RequestLog").isInfoEnabled()).isTrue();
    assertThat(context.getLogger("dev.herald.delivery.OutcomeLog").isDebugEnabled()).isFalse();
  }
}
