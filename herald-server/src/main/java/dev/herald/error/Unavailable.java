package dev.herald.error;

/** A dependency (the database) cannot be reached; the caller may retry later. */
public final class Unavailable extends HeraldException {
  public Unavailable(String code, String detail) {
    super(code, detail);
  }

  public Unavailable(String detail, Throwable cause) {
    super("service_unavailable", detail, cause);
  }
}
