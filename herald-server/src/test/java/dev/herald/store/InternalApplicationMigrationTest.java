package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Backend;
import dev.herald.testing.TestDatabases;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Orgs made before migration V6 get their internal application (which holds operational-webhook
 * endpoints) from the migration, with the id the code derives, so reads never have to create it
 * (hardening #9 point 9).
 */
class InternalApplicationMigrationTest {

  @ParameterizedTest
  @EnumSource(Backend.class)
  void migration_v6_gives_every_existing_org_its_internal_application(Backend backend) {
    TestDatabases.Storage storage = TestDatabases.create(backend);
    try {
      DatabaseSettings settings = storage.databaseSettings();
      Flyway before =
          Flyway.configure()
              .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
              .locations(settings.dialect().migrationLocation())
              .target("2") // any version before V6 that has application.internal
              .load();
      before.migrate();
      try (var c = before.getConfiguration().getDataSource().getConnection();
          var insert =
              c.prepareStatement("INSERT INTO org (id, name, created_at) VALUES (?, 'old', ?)")) {
        for (String org : new String[] {"org_old1", "org_old2"}) {
          insert.setString(1, org);
          insert.setLong(2, Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
          insert.executeUpdate();
        }
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }

      try (Database db = Database.open(settings)) {
        ApplicationStore apps = new ApplicationStore();
        for (String org : new String[] {"org_old1", "org_old2"}) {
          var internal = db.read(sql -> apps.findInternal(sql, org)).orElseThrow();
          assertThat(internal.id()).isEqualTo(ApplicationStore.internalAppId(org));
          assertThat(internal.name()).isEqualTo(ApplicationStore.INTERNAL_NAME);
          assertThat(internal.metadata()).isEmpty();
        }
      }
    } finally {
      storage.delete();
    }
  }
}
