package dev.herald.portal;

import dev.herald.auth.Capability;
import dev.herald.auth.PortalSession;
import dev.herald.auth.Principal;
import dev.herald.endpoint.Endpoint;
import dev.herald.error.NotFound;
import dev.herald.error.ValidationFailed;
import dev.herald.task.Task;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Recover in the portal: a time is chosen on the message log, the next page says how many failed
 * deliveries since then would be retried and asks to confirm, and the confirmed POST starts the
 * same background task as {@code POST /api/v1/app/{app}/endpoint/{ep}/recover}.
 */
final class RecoverPages {
  private final PortalServices services;
  private final PortalRequests requests;

  RecoverPages(PortalServices services, PortalRequests requests) {
    this.services = services;
    this.requests = requests;
  }

  void register(RoutesConfig routes) {
    routes.get("/portal/endpoints/{endpointId}/recover", requests.page(this::confirm));
    routes.post("/portal/endpoints/{endpointId}/recover", requests.page(this::start));
    routes.get("/portal/endpoints/{endpointId}/recover/{taskId}", requests.page(this::started));
  }

  private void confirm(Context ctx) {
    PortalSession s = requests.session(ctx);
    PortalRequests.require(s, Capability.CREATE_ATTEMPTS);
    Principal p = s.principal();
    Endpoint ep = services.endpoints().get(p.orgId(), p.appId(), ctx.pathParam("endpointId"));
    String since = text(ctx.queryParam("since"));
    List<String> problems = new ArrayList<>();
    Instant from = since(since, problems);
    long count = -1;
    if (from != null) {
      try {
        count = services.tasks().countRecoverable(p.orgId(), p.appId(), ep.id(), from, null);
      } catch (ValidationFailed e) {
        problems.add(explain(e));
      }
    }
    render(ctx, problems.isEmpty() ? 200 : 422, s, ep, since, count, problems, null);
  }

  private void start(Context ctx) {
    PortalSession s = requests.changing(ctx, Capability.CREATE_ATTEMPTS);
    Principal p = s.principal();
    Endpoint ep = services.endpoints().get(p.orgId(), p.appId(), ctx.pathParam("endpointId"));
    String since = text(ctx.formParam("since"));
    List<String> problems = new ArrayList<>();
    Instant from = since(since, problems);
    Task task = null;
    if (from != null) {
      try {
        task = services.tasks().startRecover(p.orgId(), p.appId(), ep.id(), from, null);
      } catch (ValidationFailed e) {
        problems.add(explain(e));
      }
    }
    if (task == null) {
      render(ctx, 422, s, ep, since, -1, problems, null);
      return;
    }
    ctx.redirect("/portal/endpoints/" + ep.id() + "/recover/" + task.id(), HttpStatus.SEE_OTHER);
  }

  private void started(Context ctx) {
    PortalSession s = requests.session(ctx);
    Principal p = s.principal();
    Endpoint ep = services.endpoints().get(p.orgId(), p.appId(), ctx.pathParam("endpointId"));
    String taskId = ctx.pathParam("taskId");
    Task task = services.tasks().get(p.orgId(), taskId);
    if (!p.appId().equals(task.appId())) {
      throw new NotFound("background task " + taskId + " not found");
    }
    String since = task.params().path("since").asText("");
    String shown = since.isEmpty() ? "" : MessageLogQuery.local(Instant.parse(since));
    render(ctx, 200, s, ep, shown, -1, List.of(), task);
  }

  private void render(
      Context ctx,
      int status,
      PortalSession s,
      Endpoint ep,
      String since,
      long count,
      List<String> problems,
      Task task) {
    var view =
        new RecoverView(
            requests.frame(ctx, s, "endpoints"),
            ep,
            since,
            count,
            problems,
            task == null ? null : task.id(),
            task == null ? null : task.status());
    requests.pages().render(ctx, status, "portal/recover.jte", view);
  }

  private static Instant since(String text, List<String> problems) {
    if (text.isEmpty()) {
      problems.add("Since: choose a date and time.");
      return null;
    }
    return MessageLogQuery.time(text, "Since", problems);
  }

  private static String text(String s) {
    return s == null ? "" : s.trim();
  }

  private static String explain(ValidationFailed e) {
    return "Since: "
        + String.join("; ", e.items().stream().map(ValidationFailed.Item::msg).toList())
        + ".";
  }
}
