package dev.herald.page;

import dev.herald.error.BadRequest;
import dev.herald.error.Conflict;
import dev.herald.error.Forbidden;
import dev.herald.error.HeraldException;
import dev.herald.error.NotFound;
import dev.herald.error.PayloadTooLarge;
import dev.herald.error.Unauthorized;
import dev.herald.error.Unavailable;
import dev.herald.error.ValidationFailed;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A refused form's answer on a page: the status the API gives the same refusal, and the refusal as
 * one line, each field named by its form label.
 */
public final class Refusals {
  private Refusals() {}

  /** The HTTP status of a refusal; the API's JSON errors use the same ({@code ErrorMapping}). */
  public static int status(HeraldException e) {
    return switch (e) {
      case NotFound n -> 404;
      case Conflict c -> 409;
      case Unauthorized u -> 401;
      case Forbidden f -> 403;
      case ValidationFailed v -> 422;
      case BadRequest b -> 400;
      case PayloadTooLarge p -> 413;
      case Unavailable u -> 503;
    };
  }

  /** The refusal as one line, fields named as the API names them. */
  public static String explain(HeraldException e) {
    return explain(e, field -> field);
  }

  /** {@code label}: the form's label for a body field named in a validation error. */
  public static String explain(HeraldException e, UnaryOperator<String> label) {
    if (e instanceof ValidationFailed v) {
      return v.items().stream()
          .map(i -> label.apply(i.loc().getLast()) + ": " + i.msg())
          .collect(Collectors.joining("; "));
    }
    return e.detail();
  }
}
