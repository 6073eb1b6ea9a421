package dev.herald.dashboard;

import dev.herald.error.BadRequest;
import dev.herald.error.Conflict;
import dev.herald.error.HeraldException;
import dev.herald.error.NotFound;
import dev.herald.error.ValidationFailed;
import java.util.stream.Collectors;

/** A refused form's answer: the API's status for the same refusal, and one line for the page. */
final class Refusals {
  private Refusals() {}

  static int status(HeraldException e) {
    return switch (e) {
      case ValidationFailed v -> 422;
      case NotFound n -> 404;
      case Conflict c -> 409;
      case BadRequest b -> 400;
      default -> 400;
    };
  }

  static String explain(HeraldException e) {
    if (e instanceof ValidationFailed v) {
      return v.items().stream()
          .map(i -> i.loc().getLast() + ": " + i.msg())
          .collect(Collectors.joining("; "));
    }
    return e.detail();
  }
}
