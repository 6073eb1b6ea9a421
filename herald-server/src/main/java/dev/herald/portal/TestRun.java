package dev.herald.portal;

import dev.herald.attempt.AttemptView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * An example message sent to one endpoint and what came of it so far.
 *
 * @param status the delivery's state: pending, sending, success or fail
 * @param nextAttempt when the next try is due, or null
 */
public record TestRun(
    String endpointId,
    String messageId,
    List<AttemptView> attempts,
    String status,
    Instant nextAttempt) {

  public TestRun {
    attempts = List.copyOf(attempts);
  }

  /** Still to be decided: the page keeps polling. */
  public boolean unfinished() {
    return status.equals("pending") || status.equals("sending");
  }

  public String pollUrl() {
    return "/portal/endpoints/"
        + endpointId
        + "/testing/attempts?msg="
        + URLEncoder.encode(messageId, StandardCharsets.UTF_8);
  }
}
