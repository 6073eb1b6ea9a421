package dev.herald.bench;

import dev.herald.config.Env;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Durations on the command line are written as in Herald's settings: 500ms, 60s, 5m. */
final class Durations implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    return text.equals("0") ? Duration.ZERO : Env.parseDuration("duration", text);
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 != 0
        ? ms + "ms"
        : ms % 60_000 != 0 || ms == 0 ? ms / 1000 + "s" : ms / 60_000 + "m";
  }
}
