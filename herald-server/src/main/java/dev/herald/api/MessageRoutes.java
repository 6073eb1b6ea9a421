package dev.herald.api;

import static dev.herald.api.Routes.Access.APP;
import static dev.herald.auth.Capability.CREATE_ATTEMPTS;
import static dev.herald.auth.Capability.MANAGE_ENDPOINT;
import static dev.herald.auth.Capability.VIEW_BASE;

import dev.herald.auth.Principal;
import dev.herald.message.MessageIn;
import dev.herald.message.MessageService;
import dev.herald.message.MessageView;
import dev.herald.store.MessageStore;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/** {@code /api/v1/app/{app_id}/msg}: accepting and reading messages. */
final class MessageRoutes {
  private static final Pattern TRACEPARENT =
      Pattern.compile("^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");

  private final MessageService messages;
  private final Requests requests;
  private final long maxPayloadBytes;

  MessageRoutes(MessageService messages, Requests requests, long maxPayloadBytes) {
    this.messages = messages;
    this.requests = requests;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  void register(Routes r) {
    r.get("/api/v1/app/{app_id}/msg", APP, VIEW_BASE, this::list);
    r.postAnsweringInTransaction("/api/v1/app/{app_id}/msg", APP, CREATE_ATTEMPTS, this::create);
    r.get("/api/v1/app/{app_id}/msg/{msg_id}", APP, VIEW_BASE, this::get);
    r.delete(
        "/api/v1/app/{app_id}/msg/{msg_id}/content", APP, MANAGE_ENDPOINT, this::expungeContent);
  }

  private void create(Context ctx, Principal p) {
    MessageIn in = MessageIn.read(requests.body(ctx), maxPayloadBytes);
    String traceparent = ctx.header("traceparent");
    if (traceparent != null && !TRACEPARENT.matcher(traceparent.trim()).matches()) {
      traceparent = null;
    }
    boolean withContent = withContent(ctx);
    String trace = traceparent == null ? null : traceparent.trim();
    Idempotency.InTransaction key = Idempotency.inTransaction(ctx);
    if (key == null) {
      Responses.json(
          ctx,
          202,
          MessageView.of(
              messages.create(p.orgId(), ctx.pathParam("app_id"), in, trace), withContent));
      return;
    }
    // With an idempotency key the answer is made inside the accepting transaction, so the key is
    // stored with the very bytes the client gets, or not at all. (Only then: serialising on the
    // group-commit writer costs every batch.)
    byte[][] answer = new byte[1][];
    messages.create(
        p.orgId(),
        ctx.pathParam("app_id"),
        in,
        trace,
        (sql, m) -> {
          answer[0] = dev.herald.json.Json.writeBytes(MessageView.of(m, withContent));
          key.record(sql, 202, answer[0]);
        });
    Responses.raw(ctx, 202, answer[0]);
  }

  private void list(Context ctx, Principal p) {
    boolean withContent = withContent(ctx);
    var page =
        messages.list(
            p.orgId(), ctx.pathParam("app_id"), filter(ctx), withContent, Requests.page(ctx, true));
    Responses.json(ctx, 200, page.map(m -> MessageView.of(m, withContent)));
  }

  private void get(Context ctx, Principal p) {
    var m = messages.get(p.orgId(), ctx.pathParam("app_id"), ctx.pathParam("msg_id"));
    Responses.json(ctx, 200, MessageView.of(m, withContent(ctx)));
  }

  private void expungeContent(Context ctx, Principal p) {
    messages.expungeContent(p.orgId(), ctx.pathParam("app_id"), ctx.pathParam("msg_id"));
    Responses.noContent(ctx);
  }

  /** {@code with_content} defaults to true on message routes. */
  static boolean withContent(Context ctx) {
    return ctx.queryParam("with_content") == null || Requests.flag(ctx, "with_content");
  }

  static MessageStore.Filter filter(Context ctx) {
    List<String> eventTypes = ctx.queryParams("event_types");
    return new MessageStore.Filter(
        ctx.queryParam("channel"),
        instant(ctx, "before"),
        instant(ctx, "after"),
        eventTypes.isEmpty()
            ? null
            : eventTypes.stream().flatMap(s -> List.of(s.split(",")).stream()).toList(),
        tag(ctx));
  }

  /** The {@code tag} filter, under the rule tags are stored by. */
  private static String tag(Context ctx) {
    String tag = ctx.queryParam("tag");
    if (tag == null || tag.isEmpty()) {
      return null;
    }
    if (tag.length() > 128 || !MessageIn.TAG_PATTERN.matcher(tag).matches()) {
      throw Requests.queryError(
          "tag",
          "string does not match regex \""
              + MessageIn.TAG_PATTERN.pattern()
              + "\" and be 1..128 characters",
          "value_error.str.regex");
    }
    return tag;
  }

  private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  static Instant instant(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    Instant parsed;
    try {
      parsed = java.time.OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw Requests.queryError(name, "invalid datetime format", "value_error.datetime");
    }
    // Times are stored as epoch milliseconds: a year like +999999999 parses but cannot be compared.
    if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
      throw Requests.queryError(
          name, "datetime out of range (years 0000 to 9999)", "value_error.datetime");
    }
    return parsed;
  }
}
