package dev.herald.error;

public final class NotFound extends HeraldException {
  public NotFound(String detail) {
    super("not_found", detail);
  }

  public NotFound(String code, String detail) {
    super(code, detail);
  }
}
