package dev.herald.testing;

import dev.herald.Herald;
import dev.herald.config.HeraldConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Herald node on a free port, on fresh storage of the chosen backend, with a known admin
 * key. Tests talk to it over HTTP through {@link Api}; {@link #herald()} is there for what HTTP
 * cannot show (the database, the generated key).
 */
public final class TestServer implements AutoCloseable {
  /** The {@code HERALD_BOOTSTRAP_API_KEY} every test server starts with unless told otherwise. */
  public static final String ADMIN_KEY = "hk_test_bootstrap_admin_key_0123456789";

  private final TestDatabases.Storage storage;
  private final HeraldConfig config;
  private final InstantSource clock;
  private final String adminKey;
  private Herald herald;

  private TestServer(TestDatabases.Storage storage, HeraldConfig config, InstantSource clock) {
    this.storage = storage;
    this.config = config;
    this.clock = clock;
    this.herald = new Herald(config, clock).start();
    this.adminKey =
        config.keys().bootstrapApiKey() != null
            ? config.keys().bootstrapApiKey()
            : herald.generatedAdminKey().orElse(null);
  }

  public static TestServer start(Backend backend) {
    return builder(backend).start();
  }

  public static Builder builder(Backend backend) {
    return new Builder(backend);
  }

  /** Options for a test server; every one has a default that suits most tests. */
  public static final class Builder {
    private final Backend backend;
    private final Map<String, String> settings = new HashMap<>();
    private InstantSource clock = InstantSource.system();

    private Builder(Backend backend) {
      this.backend = backend;
      settings.put("HERALD_PORT", "0");
      settings.put("HERALD_HOST", "127.0.0.1");
      settings.put("HERALD_BOOTSTRAP_API_KEY", ADMIN_KEY);
    }

    /** Sets one {@code HERALD_*} setting, overriding the test default. */
    public Builder setting(String name, String value) {
      settings.put(name, value);
      return this;
    }

    public Builder settings(Map<String, String> more) {
      settings.putAll(more);
      return this;
    }

    /** Starts like a first installation: no bootstrap key, so Herald generates one. */
    public Builder withoutBootstrapKey() {
      settings.remove("HERALD_BOOTSTRAP_API_KEY");
      return this;
    }

    public Builder clock(InstantSource newClock) {
      this.clock = newClock;
      return this;
    }

    public TestServer start() {
      TestDatabases.Storage storage = TestDatabases.create(backend);
      Map<String, String> env = new HashMap<>(settings);
      env.putAll(storage.environment());
      HeraldConfig config = HeraldConfig.fromEnvironment(env);
      try {
        return new TestServer(storage, config, clock);
      } catch (RuntimeException | Error e) {
        storage.delete();
        throw e;
      }
    }
  }

  public Herald herald() {
    return herald;
  }

  public Backend backend() {
    return storage.backend();
  }

  public InstantSource clock() {
    return clock;
  }

  /**
   * A connection of the test's own to this server's PostgreSQL database, for what a test must do
   * beside Herald there (hold a row lock). SQLite has no second writer to offer.
   */
  public Connection connectToPostgres() throws SQLException {
    if (storage.backend() != Backend.POSTGRES) {
      throw new IllegalStateException("only a PostgreSQL server has a database to connect to");
    }
    return DriverManager.getConnection(storage.jdbcUrl(), TestDatabases.POSTGRES_USER, "");
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + herald.port();
  }

  /** The configured bootstrap key, or the key Herald generated on this server's first start. */
  public String adminKey() {
    if (adminKey == null) {
      throw new IllegalStateException(
          "no admin key: none configured and the first start generated none");
    }
    return adminKey;
  }

  /** A client calling with the admin key of the default org. */
  public Api api() {
    return new Api(baseUrl(), adminKey());
  }

  /** A client calling with the given bearer key (an org key, a portal token, or garbage). */
  public Api api(String bearerKey) {
    return new Api(baseUrl(), bearerKey);
  }

  /** A client sending no Authorization header. */
  public Api anonymous() {
    return new Api(baseUrl(), null);
  }

  /**
   * Stops the node and starts a new one on the same storage and settings, as a process restart
   * would. The new node listens on a new port: make new {@link Api} clients afterwards.
   */
  public TestServer restart() {
    herald.close();
    herald = new Herald(config, clock).start();
    return this;
  }

  /** Stops the node and deletes its storage. */
  @Override
  public void close() {
    try {
      herald.close();
    } finally {
      storage.delete();
    }
  }
}
