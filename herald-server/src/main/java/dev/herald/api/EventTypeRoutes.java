package dev.herald.api;

import static dev.herald.api.Routes.Access.ANY;
import static dev.herald.api.Routes.Access.ORG;
import static dev.herald.auth.Capability.VIEW_BASE;

import dev.herald.auth.Principal;
import dev.herald.eventtype.EventTypeIn;
import dev.herald.eventtype.EventTypeService;
import dev.herald.json.BodyReader;
import io.javalin.http.Context;

/**
 * {@code /api/v1/event-type}: the event catalogue. Portal tokens may read it, not write it, and do
 * not see event types carrying a feature flag they were not issued.
 */
final class EventTypeRoutes {
  private final EventTypeService eventTypes;
  private final Requests requests;

  EventTypeRoutes(EventTypeService eventTypes, Requests requests) {
    this.eventTypes = eventTypes;
    this.requests = requests;
  }

  void register(Routes r) {
    r.get("/api/v1/event-type", ANY, VIEW_BASE, this::list);
    r.post("/api/v1/event-type", ORG, this::create);
    r.get("/api/v1/event-type/{event_type_name}", ANY, VIEW_BASE, this::get);
    r.put("/api/v1/event-type/{event_type_name}", ORG, this::put);
    r.patch("/api/v1/event-type/{event_type_name}", ORG, this::patch);
    r.delete("/api/v1/event-type/{event_type_name}", ORG, this::delete);
  }

  private void list(Context ctx, Principal p) {
    Responses.json(
        ctx,
        200,
        eventTypes.list(
            p.orgId(),
            p.featureFlags(),
            Requests.flag(ctx, "include_archived"),
            Requests.flag(ctx, "with_content"),
            Requests.page(ctx, false)));
  }

  private void create(Context ctx, Principal p) {
    BodyReader body = requests.body(ctx);
    String name = EventTypeIn.readName(body);
    EventTypeIn in = EventTypeIn.read(body);
    Responses.json(ctx, 201, eventTypes.create(p.orgId(), name, in));
  }

  private void get(Context ctx, Principal p) {
    Responses.json(
        ctx, 200, eventTypes.get(p.orgId(), ctx.pathParam("event_type_name"), p.featureFlags()));
  }

  private void put(Context ctx, Principal p) {
    var saved =
        eventTypes.upsert(
            p.orgId(), ctx.pathParam("event_type_name"), EventTypeIn.read(requests.body(ctx)));
    Responses.json(ctx, saved.created() ? 201 : 200, saved.eventType());
  }

  private void patch(Context ctx, Principal p) {
    BodyReader body = requests.body(ctx);
    Responses.json(
        ctx,
        200,
        eventTypes.patch(
            p.orgId(),
            ctx.pathParam("event_type_name"),
            current -> EventTypeIn.patch(current, body)));
  }

  private void delete(Context ctx, Principal p) {
    eventTypes.delete(p.orgId(), ctx.pathParam("event_type_name"), Requests.flag(ctx, "expunge"));
    Responses.noContent(ctx);
  }
}
