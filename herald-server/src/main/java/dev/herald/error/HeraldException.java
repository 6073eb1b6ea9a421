package dev.herald.error;

/**
 * Root of every failure Herald reports to a caller. Each subtype maps to exactly one HTTP status
 * and JSON shape in {@code dev.herald.api.ErrorMapping}; the domain throws these without knowing
 * about HTTP.
 */
public abstract sealed class HeraldException extends RuntimeException
    permits NotFound,
        Conflict,
        Unauthorized,
        Forbidden,
        ValidationFailed,
        BadRequest,
        PayloadTooLarge,
        Unavailable {

  private final String code;

  protected HeraldException(String code, String detail) {
    super(detail);
    this.code = code;
  }

  protected HeraldException(String code, String detail, Throwable cause) {
    super(detail, cause);
    this.code = code;
  }

  /** Stable machine-readable error code, e.g. {@code not_found}. */
  public String code() {
    return code;
  }

  public String detail() {
    return getMessage();
  }
}
