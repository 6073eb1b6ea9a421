package dev.herald.delivery;

/** What one HTTP try produced, before the retry policy decides what follows. */
public sealed interface AttemptOutcome {

  /** The receiver answered (any status). {@code retryAfter} is the raw header, if any. */
  record Response(int status, String body, String retryAfter, boolean abortRequested)
      implements AttemptOutcome {}

  /** No answer within the request timeout. */
  record TimedOut(String detail) implements AttemptOutcome {}

  /** Could not connect or the connection broke (refused, reset, TLS, DNS). */
  record ConnectionFailed(String detail) implements AttemptOutcome {}

  /** The SSRF guard refused to connect to the resolved address. */
  record Blocked(String detail) implements AttemptOutcome {}

  /**
   * Herald failed before the request left (an endpoint secret this node's key cannot decrypt, a
   * stored row it cannot read, a bug). Recorded and retried like any other failure, so it shows in
   * the attempt log instead of the delivery silently waiting out its lease again and again.
   */
  record NotSent(String detail) implements AttemptOutcome {}

  /**
   * The endpoint's transformation set {@code cancel}: nothing was sent, and the delivery is done (a
   * success, so it is neither retried nor counted against the endpoint).
   */
  record Cancelled(String detail) implements AttemptOutcome {}

  default boolean succeeded() {
    return this instanceof Cancelled
        || this instanceof Response r && r.status() >= 200 && r.status() < 300;
  }
}
