package dev.herald.logging;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.herald.config.ConfigException;
import dev.herald.config.LogFormat;
import java.util.Map;

/**
 * Herald's logging, set up in code when Logback starts (named in {@code META-INF/services}): events
 * go to stderr as text or JSON ({@code HERALD_LOG_FORMAT}); Herald logs at INFO, and the libraries
 * whose INFO is start-up chatter at WARN. A {@code -Dlogback.configurationFile} given by the
 * operator takes precedence over all of this.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

  static final Map<String, Level> QUIET_LIBRARIES =
      Map.of(
          "org.flywaydb", Level.WARN,
          "com.zaxxer.hikari", Level.WARN,
          "org.eclipse.jetty", Level.WARN,
          "io.javalin", Level.WARN);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LogFormat format;
    try {
      format = LogFormat.fromEnvironment(System.getenv());
    } catch (ConfigException e) {
      // Logging starts before the configuration is read; start-up then rejects the value and stops.
      format = LogFormat.TEXT;
    }
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(encoder(format, context));
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    QUIET_LIBRARIES.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** The started encoder that writes events in {@code format}. */
  public static Encoder<ILoggingEvent> encoder(LogFormat format, Context context) {
    return switch (format) {
      case TEXT -> {
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        yield text;
      }
      case JSON -> {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        // The formatted message alone; the raw template, arguments, sequence numbers and the
        // logger context repeated on every line only add bulk.
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        yield json;
      }
    };
  }
}
