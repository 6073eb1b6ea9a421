package dev.herald.incoming.verify;

import java.time.Instant;
import java.util.Optional;

/** One provider's verification algorithm, run on the raw request before anything parses it. */
interface Verifier {
  /** Whether the request is genuine, as of {@code now}. */
  Verdict verify(InboundRequest r, VerifierConfig c, Instant now);

  /** The answer to a provider's endpoint check, when this (verified) request is one. */
  default Optional<Challenge> challenge(InboundRequest r, VerifierConfig c) {
    return Optional.empty();
  }

  /** Whether an epoch-seconds timestamp lies outside the tolerance around {@code now}. */
  static boolean outside(long epochSeconds, Instant now, long toleranceSeconds, boolean pastOnly) {
    long n = now.getEpochSecond();
    return epochSeconds < n - toleranceSeconds
        || (!pastOnly && epochSeconds > n + toleranceSeconds);
  }

  static Verdict missing(String header) {
    return Verdict.invalid(Reason.MISSING_HEADER, "the " + header + " header is missing");
  }

  static Verdict mismatch(String what) {
    return Verdict.invalid(
        Reason.SIGNATURE_MISMATCH, "no secret of the source gives the signature in " + what);
  }

  static Verdict stale(long timestamp, Instant now, long tolerance) {
    return Verdict.invalid(
        Reason.TIMESTAMP_OUTSIDE_TOLERANCE,
        "the timestamp "
            + timestamp
            + " is more than "
            + tolerance
            + " s from now ("
            + now.getEpochSecond()
            + ")");
  }

  /** Parses a decimal integer, or null. */
  static Long parseLong(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
