package dev.herald.error;

public final class BadRequest extends HeraldException {
  public BadRequest(String detail) {
    super("bad_request", detail);
  }

  public BadRequest(String code, String detail) {
    super(code, detail);
  }
}
