package dev.herald.api;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per HTTP request: method, path, status and duration. Never headers, query strings or
 * bodies: they carry API keys, portal tokens and endpoint secrets.
 */
final class RequestLog {
  private static final Logger log = LoggerFactory.getLogger(RequestLog.class);

  private RequestLog() {}

  static void log(Context ctx, Float millis) {
    int status = ctx.statusCode();
    // Load balancers poll health and Prometheus scrapes metrics every few seconds; a good answer is
    // not news.
    boolean routineProbe =
        status < 300 && (ctx.path().startsWith("/api/v1/health") || ctx.path().equals("/metrics"));
    String method = ctx.method().name();
    long ms = Math.round(millis);
    if (routineProbe) {
      log.debug("{} {} {} {} ms", method, ctx.path(), status, ms);
    } else {
      log.info("{} {} {} {} ms", method, ctx.path(), status, ms);
    }
  }
}
