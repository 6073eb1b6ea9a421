package dev.herald.dashboard;

import dev.herald.delivery.DeliveryStatus;
import dev.herald.store.OrgViewStore.DeliveryRow;
import dev.herald.store.OrgViewStore.MessageRow;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The message explorer: the filters as given, and the messages found with their deliveries. */
public record ExplorerView(Frame frame, Query query, List<Row> rows, boolean more, String error) {

  /** The filters, as typed (blank fields are null). */
  public record Query(
      String q, String app, String endpoint, String eventType, String status, String range) {
    static Query read(Context ctx) {
      String range = blank(ctx.queryParam("range"));
      return new Query(
          blank(ctx.queryParam("q")),
          blank(ctx.queryParam("app")),
          blank(ctx.queryParam("endpoint")),
          blank(ctx.queryParam("eventType")),
          blank(ctx.queryParam("status")),
          range == null || !ExplorerPages.RANGES.containsKey(range) ? "24h" : range);
    }

    public String value(String v) {
      return v == null ? "" : v;
    }
  }

  public record Row(MessageRow message, List<DeliveryRow> deliveries) {}

  public static final List<String> STATUSES = List.of("success", "pending", "sending", "fail");
  public static final List<String> RANGES = List.of("1h", "24h", "7d", "30d");

  static List<Row> rows(List<MessageRow> messages, List<DeliveryRow> deliveries) {
    Map<String, List<DeliveryRow>> byMessage = new LinkedHashMap<>();
    for (DeliveryRow d : deliveries) {
      byMessage.computeIfAbsent(d.messageId(), k -> new java.util.ArrayList<>()).add(d);
    }
    return messages.stream()
        .map(m -> new Row(m, byMessage.getOrDefault(m.id(), List.of())))
        .toList();
  }

  public static String status(int code) {
    return DeliveryStatus.of(code).text();
  }

  public static String time(long millis) {
    return Instant.ofEpochMilli(millis).toString().replace('T', ' ').replaceFirst("\\.\\d+Z$", "Z");
  }

  private static String blank(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }
}
