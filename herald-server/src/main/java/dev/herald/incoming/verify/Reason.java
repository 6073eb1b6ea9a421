package dev.herald.incoming.verify;

/** Why a request failed verification: stable codes, shown in the request log and the dry run. */
public enum Reason {
  SIGNATURE_MISMATCH,
  TIMESTAMP_OUTSIDE_TOLERANCE,
  MISSING_HEADER,
  MALFORMED_HEADER,
  NO_V1_SIGNATURE,
  BODY_HASH_MISMATCH,
  TOKEN_MISMATCH,
  CREDENTIALS_MISMATCH;

  /** The code as written in the API, e.g. {@code signature_mismatch}. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
