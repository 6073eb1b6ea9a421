package dev.herald.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** How the message pages write deliveries, response codes, times and JSON for a reader. */
public final class DeliveryText {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private DeliveryText() {}

  public static String time(Instant t) {
    return t == null ? "" : TIME.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** A delivery state as shown: Svix's status codes, a leased pending delivery being sent. */
  public static String status(int code, boolean leased) {
    return switch (code) {
      case 0 -> "success";
      case 2 -> "failed";
      case 3 -> "sending";
      default -> leased ? "sending" : "pending";
    };
  }

  /** Svix's status text ({@code fail}) as the pages word it elsewhere ({@code failed}). */
  public static String shown(String statusText) {
    return statusText.equals("fail") ? "failed" : statusText;
  }

  /** True while a delivery may still make attempts. */
  public static boolean open(String status) {
    return status.equals("pending") || status.equals("sending");
  }

  /** A response status code with its class; 0 means no HTTP response came back at all. */
  public static String response(Integer code) {
    if (code == null) {
      return "not tried yet";
    }
    if (code < 100) {
      return "no response (connection failed or timed out)";
    }
    String kind =
        switch (code / 100) {
          case 2 -> "success";
          case 3 -> "redirect, not followed";
          case 4 -> "refused by the endpoint";
          case 5 -> "endpoint error";
          default -> "informational";
        };
    return code + " · " + kind;
  }

  /** JSON text indented for reading; text that is not JSON is returned as it is. */
  public static String pretty(String json) {
    try {
      return pretty(Json.MAPPER.readTree(json));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return json;
    }
  }

  public static String pretty(JsonNode node) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return node.toString();
    }
  }
}
