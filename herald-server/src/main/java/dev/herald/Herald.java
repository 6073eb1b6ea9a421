package dev.herald;

import dev.herald.api.HttpApi;
import dev.herald.application.ApplicationService;
import dev.herald.auth.AuthService;
import dev.herald.config.HeraldConfig;
import dev.herald.delivery.AttemptLog;
import dev.herald.delivery.Dispatcher;
import dev.herald.task.TaskRunner;
import dev.herald.task.TaskService;
import dev.herald.store.TaskStore;
import dev.herald.delivery.Sender;
import dev.herald.message.MessageService;
import dev.herald.store.AttemptStore;
import dev.herald.store.DeliveryStore;
import dev.herald.store.MessageStore;
import java.util.concurrent.ThreadLocalRandom;
import dev.herald.endpoint.EndpointService;
import dev.herald.eventtype.EventTypeService;
import dev.herald.id.Ids;
import dev.herald.secret.MainKey;
import dev.herald.secret.SecretCipher;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.ApplicationStore;
import dev.herald.store.Database;
import dev.herald.store.EndpointStore;
import dev.herald.store.EventTypeStore;
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
  private final EventTypeService eventTypes;
  private final EndpointService endpoints;
  private final Sender sender;
  private final Dispatcher dispatcher;
  private final MessageService messages;
  private final AttemptLog attemptLog;
  private final TaskRunner taskRunner;
  private final TaskService tasks;
  private final String nodeId;
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
    EventTypeStore eventTypeStore = new EventTypeStore();
    this.eventTypes = new EventTypeService(database, eventTypeStore, ids, this.clock);
    EndpointStore endpointStore = new EndpointStore(cipher);
    this.endpoints = new EndpointService(database, endpointStore, eventTypeStore, applications, ids, this.clock);
    this.nodeId = "node_" + java.util.UUID.randomUUID().toString().substring(0, 8);
    DeliveryStore deliveryStore = new DeliveryStore();
    this.sender = new Sender(config.delivery());
    this.dispatcher = new Dispatcher(nodeId, config.delivery(), database, deliveryStore, new AttemptStore(),
        endpointStore, sender, ids, this.clock, () -> ThreadLocalRandom.current().nextDouble());
    this.messages = new MessageService(database, new MessageStore(), deliveryStore, endpointStore, applications,
        dispatcher, config.delivery(), ids, this.clock);
    AttemptStore attemptStore = new AttemptStore();
    this.attemptLog = new AttemptLog(database, attemptStore, deliveryStore, endpointStore, endpoints, messages);
    TaskStore taskStore = new TaskStore();
    this.taskRunner = new TaskRunner(nodeId, database, taskStore, deliveryStore, dispatcher, this.clock,
        config.delivery().pollInterval());
    this.tasks = new TaskService(database, taskStore, endpoints, taskRunner, ids, this.clock);
  }

  /** Bootstraps an empty database and starts serving HTTP. */
  public Herald start() {
    generatedAdminKey = auth.bootstrap(config.bootstrapApiKey());
    dispatcher.start();
    taskRunner.start();
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

  public EventTypeService eventTypes() {
    return eventTypes;
  }

  public EndpointService endpoints() {
    return endpoints;
  }

  public MessageService messages() {
    return messages;
  }

  public AttemptLog attemptLog() {
    return attemptLog;
  }

  public TaskService tasks() {
    return tasks;
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  public String nodeId() {
    return nodeId;
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop();
    }
    taskRunner.close();
    dispatcher.stop(config.delivery().requestTimeout());
    dispatcher.close();
    sender.close();
    database.close();
  }
}
