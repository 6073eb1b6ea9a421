package dev.herald.api;

import dev.herald.error.HeraldException;
import dev.herald.error.Unavailable;
import dev.herald.error.ValidationFailed;
import dev.herald.page.Refusals;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become HTTP: {@code {code, detail}}, or Svix's 422 shape for validation.
 */
final class ErrorMapping {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

  private ErrorMapping() {}

  record ErrorBody(String code, String detail) {}

  record ValidationBody(List<ValidationFailed.Item> detail) {}

  static int status(HeraldException e) {
    return Refusals.status(e);
  }

  static Object body(HeraldException e) {
    return e instanceof ValidationFailed v
        ? new ValidationBody(v.items())
        : new ErrorBody(e.code(), e.detail());
  }

  static void handle(HeraldException e, Context ctx) {
    if (e instanceof Unavailable) {
      log.warn("503 {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
      ctx.header("Retry-After", "5");
    }
    Responses.json(ctx, status(e), body(e));
  }

  /** Javalin's own HTTP errors (e.g. its body-size guard), in Herald's shape. */
  static void handleJavalin(HttpResponseException e, Context ctx) {
    String code =
        switch (e.getStatus()) {
          case 413 -> "payload_too_large";
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 408 -> "request_timeout";
          default -> "http_error";
        };
    Responses.json(ctx, e.getStatus(), new ErrorBody(code, e.getMessage()));
  }

  static void unexpected(Exception e, Context ctx) {
    log.error("500 {} {}", ctx.method(), ctx.path(), e);
    Responses.json(ctx, 500, new ErrorBody("internal_error", "an unexpected error occurred"));
  }

  static Map<String, String> notFoundBody(Context ctx) {
    return Map.of("code", "not_found", "detail", "no route for " + ctx.method() + " " + ctx.path());
  }
}
