package dev.herald.incoming.verify;

/** What verification decided about one request. */
public sealed interface Verdict permits Verdict.Valid, Verdict.Invalid {

  Valid VALID = new Valid();

  static Invalid invalid(Reason reason, String detail) {
    return new Invalid(reason, detail);
  }

  /** The request is what the provider sent. */
  record Valid() implements Verdict {}

  /**
   * The request is refused; {@code detail} explains it to the source's owner (dry run, request log)
   * and never holds a secret or an expected signature.
   */
  record Invalid(Reason reason, String detail) implements Verdict {}
}
