package dev.herald.delivery;

/** Svix's MessageStatus codes, used for deliveries and attempts alike. */
public enum DeliveryStatus {
  SUCCESS(0, "success"),
  PENDING(1, "pending"),
  FAIL(2, "fail"),
  SENDING(3, "sending");

  private final int code;
  private final String text;

  DeliveryStatus(int code, String text) {
    this.code = code;
    this.text = text;
  }

  public int code() {
    return code;
  }

  public String text() {
    return text;
  }

  public static DeliveryStatus of(int code) {
    for (DeliveryStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown status code " + code);
  }
}
