package dev.herald.api;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per HTTP request: method, path, status and duration. Never headers, query strings or
 * bodies: they carry API keys, portal tokens and endpoint secrets. Source ids are cut to their
 * first characters: an ingest URL is the only credential of a source without a verifier.
 */
final class RequestLog {
  private static final Logger log = LoggerFactory.getLogger(RequestLog.class);

  private static final java.util.regex.Pattern SOURCE_ID =
      java.util.regex.Pattern.compile("src_([0-9A-Za-z]{5})[0-9A-Za-z]{25}");

  private RequestLog() {}

  static void log(Context ctx, Float millis) {
    int status = ctx.statusCode();
    // Load balancers poll health and Prometheus scrapes metrics every few seconds; a good answer is
    // not news.
    boolean routineProbe =
        status < 300 && (ctx.path().startsWith("/api/v1/health") || ctx.path().equals("/metrics"));
    String method = ctx.method().name();
    long ms = Math.round(millis);
    String path = shown(ctx.path());
    if (routineProbe) {
      log.debug("{} {} {} {} ms", method, path, status, ms);
    } else {
      log.info("{} {} {} {} ms", method, path, status, ms);
    }
  }

  /**
   * The path as logged: a source id ({@code /in/src_…}, {@code …/source/src_…}) cut to its first
   * characters, since it is also the source's first ingest id.
   */
  static String shown(String path) {
    return path.indexOf("src_") < 0 ? path : SOURCE_ID.matcher(path).replaceAll("src_$1…");
  }
}
