package dev.herald.dashboard;

import dev.herald.delivery.DeliveryStatus;
import dev.herald.error.NotFound;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.store.Database;
import dev.herald.store.OrgViewStore;
import dev.herald.store.OrgViewStore.MessageFilter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The message and attempt explorer across the org's applications: find messages by id, eventId,
 * application, endpoint, event type, delivery status and time; open one to see its attempts. The
 * filters live in the query string, so a link reproduces the view.
 */
final class ExplorerPages {
  static final int LISTED = 50;
  static final Map<String, Duration> RANGES =
      Map.of(
          "1h", Duration.ofHours(1),
          "24h", Duration.ofHours(24),
          "7d", Duration.ofDays(7),
          "30d", Duration.ofDays(30));

  private final DashboardServices services;
  private final DashboardRequests requests;
  private final OrgViewStore store = new OrgViewStore();

  ExplorerPages(DashboardServices services, DashboardRequests requests) {
    this.services = services;
    this.requests = requests;
  }

  void register(RoutesConfig routes) {
    routes.get("/dashboard/messages", requests.page(this::list));
    routes.get("/dashboard/messages/{id}", requests.page(this::detail));
  }

  private void list(Context ctx) {
    var s = requests.session(ctx);
    String orgId = s.principal().orgId();
    ExplorerView.Query q = ExplorerView.Query.read(ctx);
    String error = null;
    Integer status = null;
    if (q.status() != null) {
      status =
          Arrays.stream(DeliveryStatus.values())
              .filter(d -> d.text().equals(q.status()))
              .map(DeliveryStatus::code)
              .findFirst()
              .orElse(null);
      if (status == null) {
        error = "Unknown status " + q.status() + ".";
      }
    }
    boolean byId = q.q() != null && q.q().startsWith(IdPrefix.MESSAGE.value() + "_");
    // A message id is looked up over all time; everything else within the chosen range.
    long from =
        byId
            ? 0
            : services.clock().millis()
                - RANGES.getOrDefault(q.range(), Duration.ofDays(1)).toMillis();
    MessageFilter f =
        new MessageFilter(
            byId ? q.q() : null,
            byId ? null : q.q(),
            q.app(),
            q.endpoint(),
            q.eventType(),
            status,
            Ids.lowerBound(IdPrefix.MESSAGE, from),
            from);
    List<ExplorerView.Row> rows = List.of();
    if (error == null) {
      Database.Work<List<ExplorerView.Row>> read =
          sql -> {
            var messages = store.messages(sql, orgId, f, LISTED);
            var deliveries =
                store.deliveries(
                    sql, orgId, messages.stream().map(OrgViewStore.MessageRow::id).toList());
            return ExplorerView.rows(messages, deliveries);
          };
      // Only the application filter reads an index that SQLite fills in bulk.
      Database db = services.database();
      rows = f.appId() == null ? db.read(read) : db.readByTenant(read);
    }
    requests
        .pages()
        .render(
            ctx,
            200,
            "dashboard/messages.jte",
            new ExplorerView(
                new Frame(s.csrfToken(), "messages"), q, rows, rows.size() == LISTED, error));
  }

  private void detail(Context ctx) {
    var s = requests.session(ctx);
    String orgId = s.principal().orgId();
    String id = ctx.pathParam("id");
    var found =
        services
            .database()
            .read(
                sql -> {
                  MessageFilter f = new MessageFilter(id, null, null, null, null, null, "", 0);
                  var messages = store.messages(sql, orgId, f, 1);
                  if (messages.isEmpty()) {
                    return null;
                  }
                  return new MessageDetailView(
                      new Frame(s.csrfToken(), "messages"),
                      messages.getFirst(),
                      store.deliveries(sql, orgId, List.of(id)),
                      store.attempts(sql, orgId, id));
                });
    if (found == null) {
      throw new NotFound("There is no message " + id + " in this organisation.");
    }
    requests.pages().render(ctx, 200, "dashboard/message-detail.jte", found);
  }
}
