package dev.herald.bench;

import java.nio.charset.StandardCharsets;

/** The message the generator sends: a fixed body whose payload is exactly the configured size. */
final class Messages {
  static final String EVENT_TYPE = "bench.event";

  private Messages() {}

  /**
   * {@code {"eventType":…,"payload":{"data":"xxx…"}}} with a payload of {@code payloadBytes} bytes.
   */
  static byte[] body(int payloadBytes) {
    String empty = "{\"data\":\"\"}";
    String payload =
        "{\"data\":\"" + "x".repeat(Math.max(0, payloadBytes - empty.length())) + "\"}";
    return ("{\"eventType\":\"" + EVENT_TYPE + "\",\"payload\":" + payload + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The {@code id} of a message-create answer, or null; cheaper than parsing on the generator's
   * threads.
   */
  static String id(String responseBody) {
    if (responseBody == null) {
      return null;
    }
    int key = responseBody.indexOf("\"id\":\"");
    if (key < 0) {
      return null;
    }
    int start = key + 6;
    int end = responseBody.indexOf('"', start);
    return end < 0 ? null : responseBody.substring(start, end);
  }
}
