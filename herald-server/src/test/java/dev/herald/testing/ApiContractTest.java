package dev.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Base of every API suite: the whole suite runs once per {@link Backend}, against one real server
 * started for that run (not per test, to keep the suite fast). Tests therefore share a database:
 * each makes its own applications and asserts on those, never on global counts it did not set up.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ApiContractTest {
  @Parameter protected Backend backend;

  protected TestServer server;

  /** Calls with the default org's admin key. */
  protected Api api;

  /** Receivers started by {@link #receiver()}, closed after each test. */
  private final List<Receiver> receivers = new ArrayList<>();

  /** A real HTTP receiver on a free port, closed after the test. */
  protected Receiver receiver() {
    Receiver r = Receiver.start();
    receivers.add(r);
    return r;
  }

  @AfterEach
  protected final void closeReceivers() {
    receivers.forEach(Receiver::close);
    receivers.clear();
  }

  /** Extra {@code HERALD_*} settings for this suite's server. */
  protected Map<String, String> settings() {
    return Map.of();
  }

  /** The clock of this suite's server. */
  protected InstantSource clock() {
    return InstantSource.system();
  }

  @BeforeParameterizedClassInvocation
  protected final void startServer(Backend backend) {
    server = TestServer.builder(backend).settings(settings()).clock(clock()).start();
    api = server.api();
  }

  @AfterParameterizedClassInvocation
  protected final void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** A client for a brand-new org with nothing in it, for tests that count or list. */
  protected Api newOrg() {
    return server.api(server.herald().auth().createOrg("test-org").key());
  }

  /** The {@code field} of every item on one list page, in order. */
  protected static List<String> keys(Api.Response page, String field) {
    List<String> out = new ArrayList<>();
    page.body().path("data").forEach(item -> out.add(item.path(field).asText()));
    return out;
  }

  /** The ids on one list page, in order. */
  protected static List<String> ids(Api.Response page) {
    return keys(page, "id");
  }

  /**
   * Follows {@code iterator} from the first page of {@code path?query} until {@code done},
   * collecting the {@code field} of every item; fails when a page is not 200 or the list never
   * ends.
   */
  protected static List<String> listAll(Api client, String path, String query, String field) {
    List<String> all = new ArrayList<>();
    String iterator = null;
    for (int pages = 0; pages < 100; pages++) {
      Api.Response page =
          client.get(path + "?" + query + (iterator == null ? "" : "&iterator=" + iterator));
      assertThat(page.status()).as("%s", page).isEqualTo(200);
      all.addAll(keys(page, field));
      if (page.body().path("done").asBoolean()) {
        return all;
      }
      iterator = page.field("iterator");
    }
    throw new AssertionError("the list never reported done");
  }

  /** A uid no other test uses. */
  protected static String uniqueUid(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The {@code loc} of every item of a 422 body, each joined with dots, e.g. {@code body.name}. */
  protected static List<String> errorLocations(Api.Response response) {
    List<String> out = new ArrayList<>();
    for (var item : response.body().path("detail")) {
      List<String> parts = new ArrayList<>();
      item.path("loc").forEach(p -> parts.add(p.asText()));
      out.add(String.join(".", parts));
    }
    return out;
  }
}
