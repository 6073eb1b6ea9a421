package dev.herald.portal;

import dev.herald.message.MessageIn;
import dev.herald.store.MessageLogStore;
import dev.herald.store.MessageStore;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The message log's filters as the URL carries them, so that a link reproduces the view: {@code
 * event_type}, {@code status} (success, pending, failed, sending), {@code code} (the class of the
 * last response: 2xx … 5xx, or none), {@code channel}, {@code tag}, {@code period} (1h, 24h, 7d) or
 * a custom {@code after}/{@code before} (datetime-local values, read as UTC), and {@code iterator}
 * for the next page. Every value is kept as typed, to be shown back in the form.
 */
public record MessageLogQuery(
    String eventType,
    String status,
    String code,
    String channel,
    String tag,
    String period,
    String after,
    String before,
    String iterator) {

  public static final List<String> STATUSES = List.of("success", "pending", "failed", "sending");
  public static final List<String> CODES = List.of("2xx", "3xx", "4xx", "5xx", "none");
  public static final Map<String, Duration> PERIODS =
      Map.of("1h", Duration.ofHours(1), "24h", Duration.ofHours(24), "7d", Duration.ofDays(7));

  /** The filters resolved for the store, or the problems that kept them from it. */
  record Resolved(
      MessageStore.Filter filter,
      MessageLogStore.State state,
      Integer statusCodeClass,
      List<String> problems) {}

  static MessageLogQuery read(Context ctx) {
    return new MessageLogQuery(
        param(ctx, "event_type"),
        param(ctx, "status"),
        param(ctx, "code"),
        param(ctx, "channel"),
        param(ctx, "tag"),
        param(ctx, "period"),
        param(ctx, "after"),
        param(ctx, "before"),
        param(ctx, "iterator"));
  }

  private static String param(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null ? "" : v.trim();
  }

  Resolved resolve(Instant now) {
    List<String> problems = new ArrayList<>();
    MessageLogStore.State state = null;
    if (!status.isEmpty()) {
      if (STATUSES.contains(status)) {
        state = MessageLogStore.State.valueOf(status.toUpperCase(Locale.ROOT));
      } else {
        problems.add("Status: choose one of " + String.join(", ", STATUSES) + ".");
      }
    }
    Integer codeClass = null;
    if (!code.isEmpty()) {
      if (CODES.contains(code)) {
        codeClass = code.equals("none") ? 0 : (code.charAt(0) - '0') * 100;
      } else {
        problems.add("Response: choose one of " + String.join(", ", CODES) + ".");
      }
    }
    if (!tag.isEmpty() && (tag.length() > 128 || !MessageIn.TAG_PATTERN.matcher(tag).matches())) {
      problems.add("Tag: letters, digits and . _ - / \\ # only, at most 128 characters.");
    }
    Instant from = null;
    Instant to = null;
    if (!period.isEmpty()) {
      Duration d = PERIODS.get(period);
      if (d == null) {
        problems.add("Period: choose the last hour, 24 hours or 7 days.");
      } else {
        from = now.minus(d);
      }
    } else {
      from = time(after, "From", problems);
      to = time(before, "To", problems);
    }
    var filter =
        new MessageStore.Filter(
            channel.isEmpty() ? null : channel,
            to,
            from,
            eventType.isEmpty() ? null : List.of(eventType),
            tag.isEmpty() ? null : tag);
    return new Resolved(filter, state, codeClass, problems);
  }

  /** A datetime-local value (minutes or seconds), read as UTC. */
  static Instant time(String text, String label, List<String> problems) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      Instant t = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      if (t.getEpochSecond() < 0 || t.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
        problems.add(label + ": a date between 1970 and 9999.");
        return null;
      }
      return t;
    } catch (DateTimeParseException e) {
      problems.add(label + ": a date and time such as 2026-01-31T14:30 (UTC).");
      return null;
    }
  }

  /** A datetime-local value for {@code t}, to the minute. */
  static String local(Instant t) {
    return LocalDateTime.ofInstant(t.truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC).toString();
  }

  /** This view's link, without paging. */
  public String link(String base) {
    return link(base, "");
  }

  /** This view's link at page {@code iterator} (empty for the newest). */
  public String link(String base, String iterator) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("event_type", eventType);
    p.put("status", status);
    p.put("code", code);
    p.put("channel", channel);
    p.put("tag", tag);
    p.put("period", period);
    if (period.isEmpty()) {
      p.put("after", after);
      p.put("before", before);
    }
    p.put("iterator", iterator);
    StringBuilder q = new StringBuilder();
    p.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            q.append(q.isEmpty() ? '?' : '&')
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    return base + q;
  }

  /** The same filters over another period preset (empty: none). */
  public MessageLogQuery withPeriod(String p) {
    return new MessageLogQuery(eventType, status, code, channel, tag, p, "", "", "");
  }

  /** True when no filter is set (the empty state then says so). */
  public boolean unfiltered() {
    return eventType.isEmpty()
        && status.isEmpty()
        && code.isEmpty()
        && channel.isEmpty()
        && tag.isEmpty()
        && period.isEmpty()
        && after.isEmpty()
        && before.isEmpty();
  }
}
