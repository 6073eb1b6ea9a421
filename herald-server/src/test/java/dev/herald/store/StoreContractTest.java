package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.delivery.DeliveryTask;
import dev.herald.error.Conflict;
import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store's contract, run against a real SQLite file and a real PostgreSQL: both dialects build
 * the same schema, and the queue's claim and lease rules hold on each. The servers run with {@code
 * HERALD_ROLES=api} so no dispatcher competes for the rows under test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreContractTest {
  private static final List<String> TABLES =
      List.of(
          "org",
          "api_key",
          "application",
          "event_type",
          "endpoint",
          "message",
          "message_payload",
          "delivery",
          "attempt",
          "idempotency",
          "task",
          "herald_setting",
          "portal_session");

  private final Map<Backend, TestServer> servers = new java.util.EnumMap<>(Backend.class);
  private final DeliveryStore deliveries = new DeliveryStore();

  @BeforeAll
  void startServers() {
    for (Backend b : Backend.values()) {
      servers.put(b, TestServer.builder(b).settings(Map.of("HERALD_ROLES", "api")).start());
    }
  }

  @AfterAll
  void stopServers() {
    servers.values().forEach(TestServer::close);
  }

  private Database db(Backend b) {
    return servers.get(b).herald().database();
  }

  private List<String> columns(Backend b, String table) {
    String query =
        b == Backend.SQLITE
            ? "SELECT name FROM pragma_table_info(?) ORDER BY name"
            : "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                + " AND table_name = ? ORDER BY column_name";
    return db(b).read(sql -> sql.query(query, rs -> rs.getString(1), table));
  }

  @Test
  void both_dialects_migrate_to_the_same_tables_and_columns() {
    for (String table : TABLES) {
      List<String> sqlite = columns(Backend.SQLITE, table);
      assertThat(sqlite).as("table %s exists on SQLite", table).isNotEmpty();
      assertThat(columns(Backend.POSTGRES, table)).as("columns of %s", table).isEqualTo(sqlite);
    }
  }

  /** Creates an app, an endpoint and a message through the API; returns their ids. */
  private String[] fixture(Backend b) {
    Api api = servers.get(b).api();
    String app = api.post("/api/v1/app", Map.of("name", "store contract")).field("id");
    String endpoint =
        api.post("/api/v1/app/" + app + "/endpoint", Map.of("url", "https://example.com/h"))
            .field("id");
    String message =
        api.post("/api/v1/app/" + app + "/msg", Map.of("eventType", "t", "payload", Map.of()))
            .field("id");
    String org =
        db(b)
            .read(
                sql ->
                    sql.queryOne(
                        "SELECT org_id FROM application WHERE id = ?", rs -> rs.getString(1), app))
            .orElseThrow();
    return new String[] {org, app, endpoint, message};
  }

  private String deliveryId(Backend b) {
    return servers.get(b).herald().ids().next(dev.herald.id.IdPrefix.DELIVERY);
  }

  /** Node "node_a" claims up to {@code limit} of all due work at {@code now}. */
  private List<DeliveryTask> claimAllDue(Backend b, Instant now, int limit) {
    return db(b)
        .write(
            sql -> deliveries.claimDue(sql, "node_a", now, now.plusSeconds(60), limit, List.of()));
  }

  private List<String> insertDue(Backend b, int count, Instant due) {
    String[] f = fixture(b);
    List<DeliveryStore.NewDelivery> rows = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = deliveryId(b);
      ids.add(id);
      rows.add(
          new DeliveryStore.NewDelivery(id, f[0], f[1], f[3], f[2], false, due, null, null, due));
    }
    db(b).writeVoid(sql -> deliveries.insert(sql, rows));
    return ids;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void concurrent_claimers_take_each_due_delivery_exactly_once(Backend b) throws Exception {
    Instant now = Instant.now();
    Set<String> inserted = new HashSet<>(insertDue(b, 300, now.minusSeconds(1)));
    Callable<List<String>> claimer =
        () -> {
          String owner = "node_" + Thread.currentThread().threadId();
          List<String> mine = new ArrayList<>();
          while (true) {
            List<DeliveryTask> batch =
                db(b)
                    .write(
                        sql ->
                            deliveries.claimDue(
                                sql,
                                owner,
                                Instant.now(),
                                Instant.now().plusSeconds(60),
                                25,
                                List.of()));
            if (batch.isEmpty()) {
              return mine;
            }
            batch.forEach(t -> mine.add(t.deliveryId()));
          }
        };
    List<String> all = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(3)) {
      List<Future<List<String>>> results =
          List.of(pool.submit(claimer), pool.submit(claimer), pool.submit(claimer));
      for (Future<List<String>> r : results) {
        all.addAll(r.get());
      }
    }
    List<String> ours = all.stream().filter(inserted::contains).toList();
    assertThat(ours).hasSize(300).doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void a_lapsed_lease_moves_to_another_node_and_the_old_owner_can_no_longer_complete(Backend b) {
    Instant now = Instant.now();
    String id = insertDue(b, 1, now.minusSeconds(1)).get(0);
    List<DeliveryTask> first =
        db(b)
            .write(
                sql ->
                    deliveries.claimDue(sql, "node_a", now, now.plusMillis(100), 1000, List.of()));
    assertThat(first).extracting(DeliveryTask::deliveryId).contains(id);

    Instant beforeExpiry = now.plusMillis(50);
    List<DeliveryTask> whileLeased =
        db(b)
            .write(
                sql ->
                    deliveries.claimDue(
                        sql,
                        "node_b",
                        beforeExpiry,
                        beforeExpiry.plusSeconds(60),
                        1000,
                        List.of()));
    assertThat(whileLeased).extracting(DeliveryTask::deliveryId).doesNotContain(id);

    Instant afterExpiry = now.plusSeconds(1);
    List<DeliveryTask> afterLapse =
        db(b)
            .write(
                sql ->
                    deliveries.claimDue(
                        sql, "node_b", afterExpiry, afterExpiry.plusSeconds(60), 1000, List.of()));
    assertThat(afterLapse).extracting(DeliveryTask::deliveryId).contains(id);

    boolean[] byOldOwner =
        db(b)
            .write(
                sql ->
                    deliveries.complete(
                        sql,
                        "node_a",
                        List.of(new DeliveryStore.Completion(id, 0, 1, null, afterExpiry))));
    boolean[] byNewOwner =
        db(b)
            .write(
                sql ->
                    deliveries.complete(
                        sql,
                        "node_b",
                        List.of(new DeliveryStore.Completion(id, 0, 1, null, afterExpiry))));
    assertThat(byOldOwner).containsExactly(false);
    assertThat(byNewOwner).containsExactly(true);
  }

  /** Node {@code owner}'s claim at {@code now} of what fell due after {@code dueAfter}: its ids. */
  private List<String> claimDueAfter(Backend b, String owner, Instant now, Instant dueAfter) {
    return db(b)
        .write(
            sql ->
                deliveries.claimDue(
                    sql, owner, now, now.plusSeconds(60), 1000, List.of(), dueAfter, id -> true))
        .tasks()
        .stream()
        .map(DeliveryTask::deliveryId)
        .toList();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void a_claim_of_what_fell_due_after_a_time_leaves_older_due_rows_to_a_claim_of_all(Backend b) {
    Instant now = Instant.now();
    List<String> older = insertDue(b, 3, now.minusSeconds(30));
    List<String> newer = insertDue(b, 3, now.minusSeconds(1));

    assertThat(claimDueAfter(b, "node_a", now, now.minusSeconds(10)))
        .containsAll(newer)
        .doesNotContainAnyElementsOf(older);
    assertThat(claimAllDue(b, now, 1000))
        .extracting(DeliveryTask::deliveryId)
        .containsAll(older)
        .doesNotContainAnyElementsOf(newer);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void leases_given_back_are_due_from_that_moment_so_claims_of_what_fell_due_since_find_them(
      Backend b) {
    Instant now = Instant.now();
    String id = insertDue(b, 1, now.minusSeconds(30)).get(0);
    assertThat(claimAllDue(b, now, 1000)).extracting(DeliveryTask::deliveryId).contains(id);
    Instant givenBack = now.plusSeconds(1);

    int released =
        db(b).write(sql -> deliveries.releaseLeases(sql, "node_a", List.of(id), givenBack));

    assertThat(released).isEqualTo(1);
    assertThat(claimDueAfter(b, "node_b", givenBack, givenBack.minusSeconds(5))).contains(id);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void a_claim_leases_only_the_rows_its_claimer_admits_and_leaves_the_rest_due(Backend b) {
    Instant now = Instant.now();
    // Leased for good: these rows, due before any other test's, never come back to other claims.
    // Due long ago, so no other test's rows come before them in due order.
    Instant due = now.minus(Duration.ofDays(800));
    List<String> refused = insertDue(b, 3, due);
    List<String> admitted = insertDue(b, 2, due);
    String refusedEndpoint = endpointOf(b, refused.get(0));

    DeliveryStore.Claimed first =
        db(b)
            .write(
                sql ->
                    deliveries.claimDue(
                        sql,
                        "node_a",
                        now,
                        LEASED_FOR_GOOD,
                        5,
                        List.of(),
                        null,
                        endpoint -> !endpoint.equals(refusedEndpoint)));

    assertThat(first.scanned()).isEqualTo(5);
    assertThat(first.tasks()).extracting(DeliveryTask::deliveryId).hasSameElementsAs(admitted);
    List<DeliveryTask> later =
        db(b).write(sql -> deliveries.claimDue(sql, "node_b", now, LEASED_FOR_GOOD, 5, List.of()));
    assertThat(later).extracting(DeliveryTask::deliveryId).containsAll(refused);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void a_claim_by_endpoint_takes_each_ones_earliest_due_work_up_to_its_room_and_no_other(
      Backend b) {
    Instant now = Instant.now();
    Instant due = now.minus(Duration.ofDays(1));
    List<String> a = insertDue(b, 4, due);
    List<String> later = insertDue(b, 4, due.plusSeconds(1));
    String endpointA = endpointOf(b, a.get(0));
    String endpointLater = endpointOf(b, later.get(0));
    List<String> other = insertDue(b, 4, due.minusSeconds(1));

    DeliveryStore.Claimed claimed =
        db(b)
            .write(
                sql ->
                    deliveries.claimDueOf(
                        sql,
                        "node_a",
                        now,
                        LEASED_FOR_GOOD,
                        Map.of(endpointA, 2, endpointLater, 10),
                        endpoint -> true));

    assertThat(claimed.tasks())
        .extracting(DeliveryTask::endpointId)
        .containsOnly(endpointA, endpointLater);
    assertThat(claimed.tasks().stream().filter(t -> t.endpointId().equals(endpointA))).hasSize(2);
    assertThat(claimed.tasks())
        .extracting(DeliveryTask::deliveryId)
        .containsAll(later)
        .doesNotContainAnyElementsOf(other);
    assertThat(claimed.tasks()).allSatisfy(t -> assertThat(t.payload()).isNotNull());
  }

  private static final Instant LEASED_FOR_GOOD = Instant.now().plus(Duration.ofDays(3650));

  private String endpointOf(Backend b, String deliveryId) {
    return db(b)
        .read(
            sql ->
                sql.queryOne(
                    "SELECT endpoint_id FROM delivery WHERE id = ?",
                    rs -> rs.getString(1),
                    deliveryId))
        .orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void deliveries_not_yet_due_are_not_claimed(Backend b) {
    Instant now = Instant.now();
    String id = insertDue(b, 1, now.plus(Duration.ofMinutes(5))).get(0);

    List<DeliveryTask> claimed = claimAllDue(b, now, 1000);

    assertThat(claimed).extracting(DeliveryTask::deliveryId).doesNotContain(id);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void the_earliest_due_deliveries_are_claimed_first_and_handed_out_in_due_order(Backend b) {
    Instant now = Instant.now();
    String[] f = fixture(b);
    List<DeliveryStore.NewDelivery> rows = new ArrayList<>();
    List<String> byDueTime = new ArrayList<>();
    for (int minutesAgo : new int[] {3, 50, 7, 40, 1}) {
      String id = deliveryId(b);
      Instant due = now.minus(Duration.ofDays(400)).minus(Duration.ofMinutes(minutesAgo));
      rows.add(
          new DeliveryStore.NewDelivery(id, f[0], f[1], f[3], f[2], false, due, null, null, due));
      byDueTime.add(minutesAgo + ":" + id);
    }
    db(b).writeVoid(sql -> deliveries.insert(sql, rows));
    List<String> expected =
        byDueTime.stream()
            .sorted(
                java.util.Comparator.comparingInt((String s) -> Integer.parseInt(s.split(":")[0]))
                    .reversed())
            .map(s -> s.split(":")[1])
            .limit(3)
            .toList();

    List<DeliveryTask> claimed = claimAllDue(b, now, 3);

    assertThat(claimed).extracting(DeliveryTask::deliveryId).containsExactlyElementsOf(expected);
    assertThat(claimed)
        .allSatisfy(
            t ->
                assertThat(new String(t.payload(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("{}"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void deliveries_to_an_endpoint_in_the_skip_list_are_left_alone(Backend b) {
    Instant now = Instant.now();
    String skipped = insertDue(b, 1, now.minusSeconds(1)).get(0);
    String taken = insertDue(b, 1, now.minusSeconds(1)).get(0);
    String skippedEndpoint =
        db(b)
            .read(
                sql ->
                    sql.queryOne(
                        "SELECT endpoint_id FROM delivery WHERE id = ?",
                        rs -> rs.getString(1),
                        skipped))
            .orElseThrow();

    List<DeliveryTask> claimed =
        db(b)
            .write(
                sql ->
                    deliveries.claimDue(
                        sql, "node_a", now, now.plusSeconds(60), 1000, List.of(skippedEndpoint)));

    assertThat(claimed)
        .extracting(DeliveryTask::deliveryId)
        .contains(taken)
        .doesNotContain(skipped);
  }

  /**
   * Issue 10 point 3: a backlog that built up since the delivery table was last analysed looks tiny
   * to PostgreSQL's planner, which then read all of it and sorted it (105 ms at 200,000 due)
   * instead of walking the due index and stopping after the limit.
   */
  @Test
  void the_claim_walks_the_due_index_in_order_even_when_the_statistics_predate_the_backlog() {
    Database db = db(Backend.POSTGRES);
    db.writeVoid(sql -> sql.update("ANALYZE delivery"));
    // Due in a month, so the other tests' claims (at the real now) never take them.
    Instant due = Instant.now().plus(Duration.ofDays(30));
    insertDue(Backend.POSTGRES, 5_000, due);

    List<String> plan =
        db.write(
            sql -> {
              sql.dialect().preferIndexOrder(sql);
              DeliveryStore.Statement lock =
                  DeliveryStore.lockDue(sql.dialect(), due.plusSeconds(1), 500, List.of());
              return sql.query("EXPLAIN " + lock.sql(), rs -> rs.getString(1), lock.args());
            });

    assertThat(String.join("\n", plan))
        .contains("Index Scan using delivery_due")
        .doesNotContain("Sort");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void an_idempotency_key_is_claimed_once(Backend b) {
    IdempotencyStore store = new IdempotencyStore();
    String org = fixture(b)[0];
    String key = "k-" + System.nanoTime();
    Instant now = Instant.now();

    boolean first =
        db(b).write(sql -> store.tryClaim(sql, org, key, "h", now, now.plusSeconds(60)));
    boolean second =
        db(b).write(sql -> store.tryClaim(sql, org, key, "h", now, now.plusSeconds(60)));

    assertThat(first).isTrue();
    assertThat(second).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void a_unique_violation_becomes_a_conflict_and_leaves_nothing_behind(Backend b) {
    String org = fixture(b)[0];
    long before =
        db(b).read(sql -> sql.queryLong("SELECT COUNT(*) FROM event_type WHERE org_id = ?", org));

    assertThatThrownBy(
            () ->
                db(b)
                    .writeVoid(
                        sql -> {
                          sql.update(
                              "INSERT INTO event_type (id, org_id, name, description, archived, deprecated, created_at, updated_at)"
                                  + " VALUES ('evtype_x1', ?, 'dup.name', '', FALSE, FALSE, 0, 0)",
                              org);
                          sql.update(
                              "INSERT INTO event_type (id, org_id, name, description, archived, deprecated, created_at, updated_at)"
                                  + " VALUES ('evtype_x2', ?, 'dup.name', '', FALSE, FALSE, 0, 0)",
                              org);
                        }))
        .isInstanceOf(Conflict.class);

    long after =
        db(b).read(sql -> sql.queryLong("SELECT COUNT(*) FROM event_type WHERE org_id = ?", org));
    assertThat(after).isEqualTo(before);
  }

  /**
   * SQLite's per-endpoint due index leaves leased rows out (migration V17), so that a message sent
   * at once never enters it. The claim by endpoint and the ordered queue's reads must still reach
   * an index, not walk the endpoint's whole history.
   */
  @Test
  void on_sqlite_the_claim_by_endpoint_and_the_ordered_queue_read_their_partial_indexes() {
    Dialect d = db(Backend.SQLITE).dialect();
    Instant now = Instant.now();
    DeliveryStore.Statement dueOf = DeliveryStore.lockDueOf(d, "ep_x", now, 10);

    String claimPlan = plan(dueOf.sql(), dueOf.args());
    String busyPlan = plan(OrderedQueue.busySql(d, 2), "ep_x", "ep_y");
    String promotePlan = plan(OrderedQueue.promoteNextSql(d), now, now, "ep_x", "ep_x");

    assertThat(claimPlan).contains("USING INDEX delivery_endpoint_due");
    assertThat(busyPlan).contains("delivery_ordered_pending");
    assertThat(promotePlan.split("delivery_ordered_pending", -1)).hasSize(3);
  }

  private String plan(String statement, Object... args) {
    List<String> details =
        db(Backend.SQLITE)
            .read(sql -> sql.query("EXPLAIN QUERY PLAN " + statement, rs -> rs.getString(4), args));
    return String.join("\n", details);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void the_claim_by_endpoint_leaves_leased_rows_to_the_claim_of_all_due_work(Backend b) {
    Instant now = Instant.now();
    String[] f = fixture(b);
    String id = deliveryId(b);
    Instant due = now.minusSeconds(5);
    DeliveryStore.NewDelivery row =
        new DeliveryStore.NewDelivery(
            id, f[0], f[1], f[3], f[2], false, due, "node_gone", now.minusSeconds(1), due);
    db(b).writeVoid(sql -> deliveries.insert(sql, List.of(row)));

    DeliveryStore.Claimed byEndpoint =
        db(b)
            .write(
                sql ->
                    deliveries.claimDueOf(
                        sql, "node_a", now, now.plusSeconds(60), Map.of(f[2], 10), e -> true));
    List<DeliveryTask> ofAllDue = claimAllDue(b, now, 1000);

    assertThat(byEndpoint.tasks()).isEmpty();
    assertThat(ofAllDue).extracting(DeliveryTask::deliveryId).contains(id);
  }

  /**
   * A delivery carries its endpoint's ordered setting (partial indexes read it), from its insert
   * and through changes of the setting; a change reorders the pending rows not in flight.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void pending_deliveries_follow_their_endpoints_ordered_setting(Backend b) {
    Instant now = Instant.now();
    String[] f = fixture(b);
    String endpoint = f[2];
    EndpointStore endpoints = new EndpointStore(null);
    OrderedQueue queue = new OrderedQueue();
    List<String> ids = new ArrayList<>();
    List<DeliveryStore.NewDelivery> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = deliveryId(b);
      ids.add(id);
      // Rows 0-2 exist before the change, 3-4 are written after it; 2 and 4 are in flight.
      boolean leased = i == 2 || i == 4;
      Instant due = now.plusSeconds(600 + i);
      rows.add(
          new DeliveryStore.NewDelivery(
              id,
              f[0],
              f[1],
              f[3],
              endpoint,
              false,
              due,
              leased ? "node_a" : null,
              leased ? now.plusSeconds(60) : null,
              due));
    }
    db(b).writeVoid(sql -> deliveries.insert(sql, rows.subList(0, 3)));
    db(b)
        .writeVoid(
            sql -> {
              sql.update("UPDATE endpoint SET ordered = TRUE WHERE id = ?", endpoint);
              endpoints.reorder(sql, endpoint, true, now);
            });
    db(b).writeVoid(sql -> deliveries.insert(sql, rows.subList(3, 5)));

    // The row in flight at the change finishes as it is; it takes the setting when its attempt is
    // recorded and it stays pending.
    assertThat(orderedFlags(b, ids)).containsExactly(true, true, false, true, true);
    // The fixture's own message made the endpoint's oldest delivery, its head: the two pending
    // rows not in flight wait behind it. Rows written after the change come as their writer
    // planned them.
    assertThat(dueTimes(b, ids)).containsExactly(false, false, true, true, true);
    Set<String> busy = db(b).read(sql -> queue.busy(sql, List.of(endpoint)));
    assertThat(busy).containsExactly(endpoint);
    boolean[] retried =
        db(b)
            .write(
                sql ->
                    deliveries.complete(
                        sql,
                        "node_a",
                        List.of(
                            new DeliveryStore.Completion(
                                ids.get(2), 1, 1, now.plusSeconds(60), now))));
    assertThat(retried).containsExactly(true);
    assertThat(orderedFlags(b, ids)).containsExactly(true, true, true, true, true);

    db(b)
        .writeVoid(
            sql -> {
              sql.update("UPDATE endpoint SET ordered = FALSE WHERE id = ?", endpoint);
              endpoints.reorder(sql, endpoint, false, now);
            });

    assertThat(orderedFlags(b, ids)).containsExactly(false, false, false, false, false);
    assertThat(dueTimes(b, ids)).containsExactly(true, true, true, true, true);
  }

  private List<Boolean> orderedFlags(Backend b, List<String> ids) {
    return db(b)
        .read(
            sql ->
                ids.stream()
                    .map(
                        id ->
                            sql.queryOne(
                                    "SELECT ordered FROM delivery WHERE id = ?",
                                    rs -> rs.getBoolean(1),
                                    id)
                                .orElseThrow())
                    .toList());
  }

  /** Per delivery, whether it has a due time (false: it waits behind its ordered queue's head). */
  private List<Boolean> dueTimes(Backend b, List<String> ids) {
    return db(b)
        .read(
            sql ->
                ids.stream()
                    .map(
                        id ->
                            sql.queryOne(
                                    "SELECT next_attempt_at IS NOT NULL FROM delivery WHERE id = ?",
                                    rs -> rs.getBoolean(1),
                                    id)
                                .orElseThrow())
                    .toList());
  }
}
