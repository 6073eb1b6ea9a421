package dev.herald.secret;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.config.ConfigException;
import dev.herald.testing.Backend;
import dev.herald.testing.Receiver;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Hardening issue 9, point 2: a node whose main key is not the one the database was set up with
 * used to start, claim deliveries and fail every one of them (it cannot decrypt the endpoint
 * secrets). It now refuses to start: exit code 2, one line naming HERALD_MAIN_SECRET, no trace.
 * These tests cover SQLite; ClusterTest starts a node with another key beside a PostgreSQL cluster.
 */
class MainKeyCheckTest {
  @Test
  void a_sqlite_node_whose_main_key_file_was_replaced_refuses_to_start() throws Exception {
    try (TestServer server = TestServer.start(Backend.SQLITE)) {
      Path keyFile = server.herald().config().storage().dataDir().resolve(MainKey.FILE_NAME);
      // The key is read at start only: replacing the file under a running node changes nothing yet.
      byte[] other = new byte[32];
      new java.security.SecureRandom().nextBytes(other);
      Files.writeString(keyFile, Base64.getEncoder().encodeToString(other) + "\n");

      assertThatThrownBy(server::restart)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("HERALD_MAIN_SECRET")
          .hasMessageContaining(keyFile.toString());
    }
  }

  @Test
  void a_database_from_before_the_check_is_judged_by_its_encrypted_secrets() throws Exception {
    try (TestServer server = TestServer.start(Backend.SQLITE);
        Receiver rx = Receiver.start()) {
      new Webhooks(server.api()).createEndpoint(new Webhooks(server.api()).createApp(), rx.url());
      Path keyFile = server.herald().config().storage().dataDir().resolve(MainKey.FILE_NAME);
      // As a database written before the check existed: no check value, only encrypted secrets.
      server.herald().database().writeVoid(sql -> sql.update("DELETE FROM herald_setting"));
      // The key is read at start only: replacing the file under a running node changes nothing yet.
      byte[] other = new byte[32];
      new java.security.SecureRandom().nextBytes(other);
      Files.writeString(keyFile, Base64.getEncoder().encodeToString(other) + "\n");

      assertThatThrownBy(server::restart)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("HERALD_MAIN_SECRET");
    }
  }
}
