package dev.herald.testing;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
