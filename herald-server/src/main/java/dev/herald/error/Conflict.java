package dev.herald.error;

public final class Conflict extends HeraldException {
  public Conflict(String detail) {
    super("conflict", detail);
  }

  public Conflict(String code, String detail) {
    super(code, detail);
  }
}
