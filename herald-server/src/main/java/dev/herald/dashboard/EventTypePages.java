package dev.herald.dashboard;

import dev.herald.error.HeraldException;
import dev.herald.eventtype.EventType;
import dev.herald.eventtype.EventTypeIn;
import dev.herald.json.BodyReader;
import dev.herald.json.Json;
import dev.herald.page.Refusals;
import dev.herald.store.PageRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;

/**
 * The event-type registry: list (archived ones too), create, edit the description, JSON Schema and
 * example, archive and restore. Through {@code EventTypeService}, with the API's validation.
 */
final class EventTypePages {
  private final DashboardServices services;
  private final DashboardRequests requests;

  EventTypePages(DashboardServices services, DashboardRequests requests) {
    this.services = services;
    this.requests = requests;
  }

  void register(RoutesConfig routes) {
    routes.get(
        "/dashboard/event-types", requests.page(ctx -> list(ctx, 200, EventTypeForm.EMPTY, null)));
    routes.post("/dashboard/event-types", requests.page(this::create));
    routes.get("/dashboard/event-types/{name}", requests.page(this::editPage));
    routes.post("/dashboard/event-types/{name}", requests.page(this::save));
    routes.post("/dashboard/event-types/{name}/archive", requests.page(this::archive));
  }

  private void list(Context ctx, int status, EventTypeForm form, String error) {
    var s = requests.session(ctx);
    List<EventType> types =
        services
            .eventTypes()
            .list(
                s.principal().orgId(),
                true,
                false,
                new PageRequest(PageRequest.MAX_LIMIT, null, false))
            .data();
    requests
        .pages()
        .render(
            ctx,
            status,
            "dashboard/event-types.jte",
            new EventTypesView(new Frame(s.csrfToken(), "event-types"), types, form, error));
  }

  private void create(Context ctx) {
    var s = requests.changing(ctx);
    EventTypeForm form = EventTypeForm.read(ctx, null);
    try {
      BodyReader body = new BodyReader(form.body());
      String name = EventTypeIn.readName(body);
      EventTypeIn in = EventTypeIn.read(body);
      services.eventTypes().create(s.principal().orgId(), name, in);
    } catch (HeraldException e) {
      list(ctx, Refusals.status(e), form, Refusals.explain(e));
      return;
    }
    ctx.redirect("/dashboard/event-types", HttpStatus.SEE_OTHER);
  }

  private void editPage(Context ctx) {
    var s = requests.session(ctx);
    EventType t = services.eventTypes().get(s.principal().orgId(), ctx.pathParam("name"));
    edit(ctx, 200, t, EventTypeForm.of(t), null);
  }

  private void edit(Context ctx, int status, EventType t, EventTypeForm form, String error) {
    var s = requests.session(ctx);
    requests
        .pages()
        .render(
            ctx,
            status,
            "dashboard/event-type.jte",
            new EventTypeEditView(new Frame(s.csrfToken(), "event-types"), t, form, error));
  }

  private void save(Context ctx) {
    var s = requests.changing(ctx);
    String orgId = s.principal().orgId();
    EventType current = services.eventTypes().get(orgId, ctx.pathParam("name"));
    EventTypeForm form = EventTypeForm.read(ctx, current.name());
    try {
      var body = form.body();
      body.remove("name");
      BodyReader reader = new BodyReader(body);
      services.eventTypes().patch(orgId, current.name(), t -> EventTypeIn.patch(t, reader));
    } catch (HeraldException e) {
      edit(ctx, Refusals.status(e), current, form, Refusals.explain(e));
      return;
    }
    ctx.redirect("/dashboard/event-types", HttpStatus.SEE_OTHER);
  }

  private void archive(Context ctx) {
    var s = requests.changing(ctx);
    boolean archived = !"false".equals(ctx.formParam("archived"));
    BodyReader body = new BodyReader(Json.tree("{\"archived\":" + archived + "}"));
    services
        .eventTypes()
        .patch(s.principal().orgId(), ctx.pathParam("name"), t -> EventTypeIn.patch(t, body));
    ctx.redirect("/dashboard/event-types", HttpStatus.SEE_OTHER);
  }
}
