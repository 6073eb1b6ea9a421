package dev.herald.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.herald.config.LogFormat;
import dev.herald.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Everything logged while open, written by Herald's own encoders in every {@link LogFormat}, with
 * Herald's loggers turned up to DEBUG so the chattiest lines are captured too.
 */
final class CapturedLog implements AutoCloseable {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Logger herald = context.getLogger("dev.herald");
  private final Level heraldLevel = herald.getLevel();
  private final Map<LogFormat, ByteArrayOutputStream> outputs = new EnumMap<>(LogFormat.class);
  private final Map<LogFormat, OutputStreamAppender<ILoggingEvent>> appenders =
      new EnumMap<>(LogFormat.class);

  CapturedLog() {
    for (LogFormat format : LogFormat.values()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
      appender.setContext(context);
      appender.setName("captured-" + format);
      appender.setEncoder(LogConfigurator.encoder(format, context));
      appender.setOutputStream(out);
      appender.start();
      root.addAppender(appender);
      outputs.put(format, out);
      appenders.put(format, appender);
    }
    herald.setLevel(Level.DEBUG);
  }

  /** What was written so far in {@code format}. */
  String text(LogFormat format) {
    return outputs.get(format).toString(StandardCharsets.UTF_8);
  }

  /**
   * What was written so far, readable: the text lines as they are; each JSON line parsed (so it
   * must be one complete object) and written back without escapes such as {@code \/}, which would
   * hide a leaked value from a plain search.
   */
  String decoded(LogFormat format) {
    String text = text(format);
    if (format == LogFormat.TEXT) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    text.lines()
        .forEach(
            line -> {
              try {
                out.append(Json.MAPPER.readTree(line)).append('\n');
              } catch (JsonProcessingException e) {
                throw new AssertionError("not one JSON object: " + line, e);
              }
            });
    return out.toString();
  }

  @Override
  public void close() {
    herald.setLevel(heraldLevel);
    appenders
        .values()
        .forEach(
            a -> {
              root.detachAppender(a);
              a.stop();
            });
  }
}
