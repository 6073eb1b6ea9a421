package dev.herald.api;

import static dev.herald.api.Routes.Access.APP;
import static dev.herald.api.Routes.Access.ORG;
import static dev.herald.auth.Capability.CREATE_ATTEMPTS;
import static dev.herald.auth.Capability.MANAGE_ENDPOINT;
import static dev.herald.auth.Capability.VIEW_BASE;

import dev.herald.attempt.AttemptLog;
import dev.herald.auth.Principal;
import dev.herald.endpoint.EndpointService;
import dev.herald.eventtype.EventTypeService;
import dev.herald.json.BodyReader;
import dev.herald.message.MessageService;
import dev.herald.message.MessageView;
import dev.herald.task.Task;
import dev.herald.task.TaskService;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attempt log and replay: attempts, delivery state views, resend, recover, stats, send-example.
 */
final class AttemptRoutes {
  private static final Set<Integer> STATUS_CODE_CLASSES = Set.of(0, 100, 200, 300, 400, 500);

  private final AttemptLog log;
  private final MessageService messages;
  private final EndpointService endpoints;
  private final EventTypeService eventTypes;
  private final TaskService tasks;
  private final Requests requests;

  AttemptRoutes(
      AttemptLog log,
      MessageService messages,
      EndpointService endpoints,
      EventTypeService eventTypes,
      TaskService tasks,
      Requests requests) {
    this.log = log;
    this.messages = messages;
    this.endpoints = endpoints;
    this.eventTypes = eventTypes;
    this.tasks = tasks;
    this.requests = requests;
  }

  void register(Routes r) {
    r.get("/api/v1/app/{app_id}/attempt/endpoint/{endpoint_id}", APP, VIEW_BASE, this::byEndpoint);
    r.get("/api/v1/app/{app_id}/attempt/msg/{msg_id}", APP, VIEW_BASE, this::byMessage);
    r.get(
        "/api/v1/app/{app_id}/endpoint/{endpoint_id}/msg",
        APP,
        VIEW_BASE,
        this::messagesOfEndpoint);
    r.get(
        "/api/v1/app/{app_id}/msg/{msg_id}/endpoint", APP, VIEW_BASE, this::destinationsOfMessage);
    r.get("/api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}", APP, VIEW_BASE, this::get);
    r.delete(
        "/api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}/content",
        APP,
        MANAGE_ENDPOINT,
        this::expungeContent);
    r.post(
        "/api/v1/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend",
        APP,
        CREATE_ATTEMPTS,
        this::resend);
    r.post(
        "/api/v1/app/{app_id}/endpoint/{endpoint_id}/recover", APP, CREATE_ATTEMPTS, this::recover);
    r.get("/api/v1/app/{app_id}/endpoint/{endpoint_id}/stats", APP, VIEW_BASE, this::stats);
    r.post(
        "/api/v1/app/{app_id}/endpoint/{endpoint_id}/send-example",
        APP,
        CREATE_ATTEMPTS,
        this::sendExample);
    r.get("/api/v1/background-task", ORG, this::tasks);
    r.get("/api/v1/background-task/{task_id}", ORG, this::task);
  }

  private void byEndpoint(Context ctx, Principal p) {
    Responses.json(
        ctx,
        200,
        log.byEndpoint(
            p.orgId(),
            ctx.pathParam("app_id"),
            ctx.pathParam("endpoint_id"),
            status(ctx),
            statusCodeClass(ctx),
            MessageRoutes.filter(ctx),
            MessageRoutes.withContent(ctx),
            withMsg(ctx),
            Requests.page(ctx, true)));
  }

  private void byMessage(Context ctx, Principal p) {
    Responses.json(
        ctx,
        200,
        log.byMessage(
            p.orgId(),
            ctx.pathParam("app_id"),
            ctx.pathParam("msg_id"),
            ctx.queryParam("endpoint_id"),
            status(ctx),
            statusCodeClass(ctx),
            MessageRoutes.filter(ctx),
            MessageRoutes.withContent(ctx),
            withMsg(ctx),
            Requests.page(ctx, true)));
  }

  /**
   * {@code with_msg}: each attempt carries its message, never its payload (as in Svix). Read with
   * {@code expanded_statuses}, which changes nothing here: Herald never cancels a delivery, so no
   * attempt has the Canceled status that flag reveals; it is still checked to be a boolean.
   */
  private static boolean withMsg(Context ctx) {
    Requests.flag(ctx, "expanded_statuses");
    return Requests.flag(ctx, "with_msg");
  }

  private void messagesOfEndpoint(Context ctx, Principal p) {
    Responses.json(
        ctx,
        200,
        log.messagesOfEndpoint(
            p.orgId(),
            ctx.pathParam("app_id"),
            ctx.pathParam("endpoint_id"),
            status(ctx),
            MessageRoutes.filter(ctx),
            MessageRoutes.withContent(ctx),
            Requests.page(ctx, true)));
  }

  private void destinationsOfMessage(Context ctx, Principal p) {
    Responses.json(
        ctx,
        200,
        log.destinationsOfMessage(
            p.orgId(),
            ctx.pathParam("app_id"),
            ctx.pathParam("msg_id"),
            Requests.page(ctx, false)));
  }

  private void get(Context ctx, Principal p) {
    Responses.json(
        ctx,
        200,
        log.get(
            p.orgId(),
            ctx.pathParam("app_id"),
            ctx.pathParam("msg_id"),
            ctx.pathParam("attempt_id")));
  }

  private void expungeContent(Context ctx, Principal p) {
    log.expungeContent(
        p.orgId(), ctx.pathParam("app_id"), ctx.pathParam("msg_id"), ctx.pathParam("attempt_id"));
    Responses.noContent(ctx);
  }

  private void resend(Context ctx, Principal p) {
    messages.resend(
        p.orgId(),
        ctx.pathParam("app_id"),
        ctx.pathParam("msg_id"),
        ctx.pathParam("endpoint_id"),
        endpoints);
    Responses.json(ctx, 202, Map.of());
  }

  private void recover(Context ctx, Principal p) {
    BodyReader body = requests.body(ctx);
    Instant since = instant(body, "since", true);
    Instant until = instant(body, "until", false);
    body.validate();
    Responses.json(
        ctx,
        202,
        tasks.startRecover(
            p.orgId(), ctx.pathParam("app_id"), ctx.pathParam("endpoint_id"), since, until));
  }

  private void stats(Context ctx, Principal p) {
    Responses.json(
        ctx,
        200,
        log.stats(
            p.orgId(),
            ctx.pathParam("app_id"),
            ctx.pathParam("endpoint_id"),
            MessageRoutes.instant(ctx, "since"),
            MessageRoutes.instant(ctx, "until")));
  }

  private void sendExample(Context ctx, Principal p) {
    BodyReader body = requests.body(ctx);
    String eventType = body.requiredString("eventType");
    if (eventType != null) {
      body.string("eventType", 1, 256, BodyReader.ID_PATTERN);
    }
    Long index = body.integer("exampleIndex", 0, Integer.MAX_VALUE);
    body.validate();
    var example =
        eventTypes.example(
            p.orgId(), eventType, p.featureFlags(), index == null ? 0 : index.intValue());
    var m =
        messages.sendExample(
            p.orgId(),
            ctx.pathParam("app_id"),
            ctx.pathParam("endpoint_id"),
            eventType,
            endpoints,
            example);
    Responses.json(ctx, 200, MessageView.of(m, true));
  }

  private void tasks(Context ctx, Principal p) {
    Responses.json(
        ctx,
        200,
        tasks.list(
            p.orgId(),
            enumParam(ctx, "status", Task.STATUSES),
            enumParam(ctx, "task", Task.KINDS),
            Requests.page(ctx, false)));
  }

  private static String enumParam(Context ctx, String name, List<String> permitted) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (!permitted.contains(v)) {
      throw Requests.queryError(
          name,
          "value is not a valid enumeration member; permitted: '"
              + String.join("', '", permitted)
              + "'",
          "type_error.enum");
    }
    return v;
  }

  private void task(Context ctx, Principal p) {
    Responses.json(ctx, 200, tasks.get(p.orgId(), ctx.pathParam("task_id")));
  }

  private static Instant instant(BodyReader body, String field, boolean required) {
    String text = required ? body.requiredString(field) : body.string(field);
    if (text == null) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      body.fail(field, "invalid datetime format", "value_error.datetime");
      return null;
    }
  }

  private static Integer status(Context ctx) {
    Integer v = intParam(ctx, "status");
    if (v != null && (v < 0 || v > 3)) {
      throw Requests.queryError(
          "status",
          "value is not a valid enumeration member; permitted: 0, 1, 2, 3",
          "type_error.enum");
    }
    return v;
  }

  private static Integer statusCodeClass(Context ctx) {
    Integer v = intParam(ctx, "status_code_class");
    if (v != null && !STATUS_CODE_CLASSES.contains(v)) {
      throw Requests.queryError(
          "status_code_class",
          "value is not a valid enumeration member; permitted: 0, 100, 200, 300, 400, 500",
          "type_error.enum");
    }
    return v;
  }

  private static Integer intParam(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw Requests.queryError(name, "value is not a valid integer", "type_error.integer");
    }
  }
}
