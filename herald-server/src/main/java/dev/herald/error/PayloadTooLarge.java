package dev.herald.error;

public final class PayloadTooLarge extends HeraldException {
  public PayloadTooLarge(String detail) {
    super("payload_too_large", detail);
  }

  public PayloadTooLarge(String code, String detail) {
    super(code, detail);
  }
}
