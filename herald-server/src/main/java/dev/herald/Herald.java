package dev.herald;

import dev.herald.api.HttpApi;
import dev.herald.application.ApplicationService;
import dev.herald.auth.AuthService;
import dev.herald.config.HeraldConfig;
import dev.herald.id.Ids;
import dev.herald.secret.MainKey;
import dev.herald.secret.SecretCipher;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.ApplicationStore;
import dev.herald.store.Database;
import io.javalin.Javalin;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Herald node, wired by hand: configuration, database, services, HTTP server. Start order:
 * database (with migrations), bootstrap, HTTP. Stop order is the reverse.
 */
public final class Herald implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Herald.class);

  private final HeraldConfig config;
  private final InstantSource clock;
  private final Database database;
  private final SecretCipher cipher;
  private final Ids ids;
  private final AuthService auth;
  private final ApplicationService applications;
  private Javalin http;
  private Optional<String> generatedAdminKey = Optional.empty();

  public Herald(HeraldConfig config, InstantSource clock) {
    this.config = config;
    // Times are stored as epoch milliseconds; a millisecond clock keeps what an API call returns
    // equal to what a later read returns.
    this.clock = () -> java.time.Instant.ofEpochMilli(clock.millis());
    this.database = Database.open(config.databaseSettings());
    this.cipher = new SecretCipher(MainKey.resolve(config.mainSecret(), config.dataDir()));
    this.ids = new Ids(this.clock);
    this.auth = new AuthService(database, new ApiKeyStore(), ids, this.clock);
    this.applications = new ApplicationService(database, new ApplicationStore(), ids, this.clock);
  }

  /** Bootstraps an empty database and starts serving HTTP. */
  public Herald start() {
    generatedAdminKey = auth.bootstrap(config.bootstrapApiKey());
    http = HttpApi.create(this).start();
    log.info("Herald {} listening on port {} ({})", Version.current(), port(), config.describe());
    return this;
  }

  /** The admin key generated on first start, to be shown once; empty otherwise. */
  public Optional<String> generatedAdminKey() {
    return generatedAdminKey;
  }

  public int port() {
    return http.port();
  }

  public String publicUrl() {
    return config.publicUrl() != null ? config.publicUrl() : "http://localhost:" + port();
  }

  public HeraldConfig config() {
    return config;
  }

  public InstantSource clock() {
    return clock;
  }

  public Database database() {
    return database;
  }

  public SecretCipher cipher() {
    return cipher;
  }

  public Ids ids() {
    return ids;
  }

  public AuthService auth() {
    return auth;
  }

  public ApplicationService applications() {
    return applications;
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop();
    }
    database.close();
  }
}
