package dev.herald.error;

public final class Forbidden extends HeraldException {
  public Forbidden(String detail) {
    super("insufficient_access", detail);
  }

  public Forbidden(String code, String detail) {
    super(code, detail);
  }
}
