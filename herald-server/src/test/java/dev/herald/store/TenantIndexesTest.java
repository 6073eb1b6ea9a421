package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.message.Message;
import dev.herald.testing.Backend;
import dev.herald.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SQLite's indexes by application and endpoint id take rows only when filled ({@link
 * TenantIndexes}, migration V18): a read by application must fill them first ({@link
 * Database#readByTenant}) to see what was written since the last fill. PostgreSQL's take every row
 * as it is written.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class TenantIndexesTest {
  private static final MessageStore.Filter EVERY = new MessageStore.Filter(null, null, null, null);
  private static final PageRequest PAGE = new PageRequest(50, null, true);

  @Parameter Backend backend;

  private TestDatabases.Storage storage;
  private Database db;
  private final MessageStore messages = new MessageStore();

  @BeforeEach
  void open() {
    storage = TestDatabases.create(backend);
    db = Database.open(storage.databaseSettings());
    db.writeVoid(
        sql -> {
          sql.update("INSERT INTO org (id, name, created_at) VALUES ('org_t', 't', 0)");
          sql.update(
              "INSERT INTO application (id, org_id, name, metadata, created_at, updated_at)"
                  + " VALUES ('app_t', 'org_t', 'a', '{}', 0, 0)");
          sql.update(
              "INSERT INTO endpoint (id, org_id, app_id, url, description, disabled, metadata,"
                  + " secret_enc, created_at, updated_at)"
                  + " VALUES ('ep_t', 'org_t', 'app_t', 'http://x', '', FALSE, '{}', 's', 0, 0)");
        });
  }

  @AfterEach
  void close() {
    db.close();
    storage.delete();
  }

  @Test
  void a_read_by_application_sees_a_message_written_since_the_last_fill() {
    insertMessage("msg_1");

    List<String> plain = db.read(sql -> listed(sql));
    List<String> byTenant = db.readByTenant(sql -> listed(sql));
    List<String> plainAfter = db.read(sql -> listed(sql));

    // On SQLite the row waits outside message_app until a fill; the read by tenant fills first.
    assertThat(plain).isEqualTo(backend == Backend.SQLITE ? List.of() : List.of("msg_1"));
    assertThat(byTenant).containsExactly("msg_1");
    assertThat(plainAfter).containsExactly("msg_1");
  }

  @Test
  void a_fill_marks_each_row_of_the_three_tables_once() {
    insertMessage("msg_1");
    insertMessage("msg_2");
    db.writeVoid(
        sql -> {
          sql.update(
              "INSERT INTO delivery (id, org_id, app_id, message_id, endpoint_id, status, manual,"
                  + " attempt_count, created_at, updated_at)"
                  + " VALUES ('dlv_1', 'org_t', 'app_t', 'msg_1', 'ep_t', 0, FALSE, 1, 0, 0)");
          sql.update(
              "INSERT INTO attempt (id, org_id, app_id, message_id, endpoint_id, delivery_id, url,"
                  + " status, response_status_code, response_duration_ms, trigger_type,"
                  + " created_at) VALUES ('atmpt_1', 'org_t', 'app_t', 'msg_1', 'ep_t', 'dlv_1',"
                  + " 'http://x', 0, 200, 1, 0, 0)");
        });

    int first = db.write(TenantIndexes::fill);
    int second = db.write(TenantIndexes::fill);

    assertThat(first).isEqualTo(backend == Backend.SQLITE ? 4 : 0);
    assertThat(second).isZero();
    List<?> attempts =
        db.read(
            sql ->
                new AttemptStore()
                    .list(
                        sql,
                        "org_t",
                        "app_t",
                        new AttemptStore.Filter("ep_t", null, null, null, null),
                        PAGE)
                    .data());
    assertThat(attempts).hasSize(1);
  }

  private void insertMessage(String id) {
    db.writeVoid(
        sql ->
            sql.update(
                "INSERT INTO message (id, org_id, app_id, event_type, created_at, expires_at)"
                    + " VALUES (?, 'org_t', 'app_t', 'e', 0, 4102444800000)",
                id));
  }

  private List<String> listed(Sql sql) {
    return messages.list(sql, "org_t", "app_t", EVERY, false, PAGE).data().stream()
        .map(Message::id)
        .toList();
  }
}
