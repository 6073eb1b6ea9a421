package dev.herald.error;

public final class Unauthorized extends HeraldException {
  public Unauthorized(String detail) {
    super("authentication_failed", detail);
  }

  public Unauthorized(String code, String detail) {
    super(code, detail);
  }
}
