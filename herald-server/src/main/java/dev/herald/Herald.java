package dev.herald;

import dev.herald.api.ApiServices;
import dev.herald.api.HttpApi;
import dev.herald.application.ApplicationService;
import dev.herald.attempt.AttemptLog;
import dev.herald.auth.AuthService;
import dev.herald.auth.PortalSessions;
import dev.herald.config.HeraldConfig;
import dev.herald.config.Role;
import dev.herald.delivery.DeliveryStores;
import dev.herald.delivery.Dispatcher;
import dev.herald.delivery.NodeContext;
import dev.herald.delivery.Sender;
import dev.herald.endpoint.ApplicationEndpoints;
import dev.herald.endpoint.EndpointService;
import dev.herald.eventtype.EventTypeService;
import dev.herald.eventtype.PayloadSchemas;
import dev.herald.id.Ids;
import dev.herald.incoming.InboundPrune;
import dev.herald.incoming.Ingest;
import dev.herald.incoming.SourceService;
import dev.herald.job.BackgroundJob;
import dev.herald.job.TenantIndexFill;
import dev.herald.message.MessageService;
import dev.herald.operational.OperationalEndpoints;
import dev.herald.operational.OperationalEvents;
import dev.herald.ops.Metrics;
import dev.herald.ops.MetricsServer;
import dev.herald.ops.QueueMonitor;
import dev.herald.retention.RetentionJob;
import dev.herald.secret.MainKey;
import dev.herald.secret.MainKeyCheck;
import dev.herald.secret.SecretCipher;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.ApplicationStore;
import dev.herald.store.AttemptStore;
import dev.herald.store.Database;
import dev.herald.store.DeliveryStore;
import dev.herald.store.EndpointStore;
import dev.herald.store.EventTypeStore;
import dev.herald.store.GroupCommit;
import dev.herald.store.InboundStore;
import dev.herald.store.MessageStore;
import dev.herald.store.PortalSessionStore;
import dev.herald.store.QueueStatsStore;
import dev.herald.store.RetentionStore;
import dev.herald.store.SettingStore;
import dev.herald.store.SourceStore;
import dev.herald.store.TaskStore;
import dev.herald.store.TransformationStore;
import dev.herald.store.WorkListener;
import dev.herald.task.TaskRunner;
import dev.herald.task.TaskService;
import dev.herald.transform.Sandbox;
import dev.herald.transform.SandboxLimits;
import dev.herald.transform.Transformations;
import io.javalin.Javalin;
import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Herald node, wired by hand: configuration, database, services, HTTP server. Start order:
 * database (with migrations; what needs no database is prepared beside it, {@link ParallelStart}),
 * bootstrap, HTTP. Stop order is the reverse.
 */
public final class Herald implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Herald.class);

  private final HeraldConfig config;
  private final InstantSource clock;
  private final Database database;
  private final SecretCipher cipher;
  private final Ids ids;
  private final AuthService auth;
  private final PortalSessions portalSessions;
  private final ApplicationService applications;
  private final EventTypeService eventTypes;
  private final EndpointService endpoints;
  private final EndpointService operationalEndpoints;
  private final OperationalEvents operationalEvents;
  private final Sender sender;
  private final Transformations transformations;
  private final Dispatcher dispatcher;
  private final MessageService messages;
  private final AttemptLog attemptLog;
  private final TaskRunner taskRunner;
  private final TaskService tasks;
  private final SourceService sources;
  private final Ingest ingest;
  private final BackgroundJob inboundPrune;
  private final BackgroundJob tenantIndexFill;
  private final String nodeId;
  private final RetentionJob retention;
  private final GroupCommit groupCommit;
  private final Metrics metrics;
  private final QueueMonitor queueMonitor;
  private final WorkListener workListener;
  private volatile boolean draining;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private Javalin http;
  private MetricsServer metricsServer;
  private Optional<String> generatedAdminKey = Optional.empty();

  static {
    // Jetty sizes the padding of its thread pools' queues by asking the platform MBean server
    // whether object references are compressed, unless told how many references fill a cache line.
    // Creating that server loads about 200 classes and took 7 % of an empty node's start-up CPU
    // (docs/benchmarks.md, start-up). 16 is the answer with compressed references (every heap
    // under 32 GiB); on a larger heap it pads twice as much as needed, a few bytes per queue.
    if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
      System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
    }
  }

  public Herald(HeraldConfig config, InstantSource clock) {
    this.config = config;
    // Times are stored as epoch milliseconds; a millisecond clock keeps what an API call returns
    // equal to what a later read returns.
    this.clock = () -> java.time.Instant.ofEpochMilli(clock.millis());
    this.metrics = new Metrics();
    ParallelStart parallel = ParallelStart.begin(config.delivery());
    try {
      this.database = Database.open(config.databaseSettings(), metrics.registry());
    } catch (RuntimeException | Error e) {
      parallel.abandon();
      throw e;
    }
    this.groupCommit = new GroupCommit(database, metrics.backgroundErrors("group-commit"));
    try {
      byte[] mainKey = MainKey.resolve(config.keys().mainSecret(), config.storage().dataDir());
      this.cipher = new SecretCipher(mainKey);
      MainKeyCheck.verify(
          database,
          new SettingStore(),
          mainKey,
          cipher,
          MainKey.describeSource(config.keys().mainSecret(), config.storage().dataDir()),
          this.clock);
    } catch (RuntimeException e) {
      parallel.abandon();
      groupCommit.close();
      database.close();
      throw e;
    }
    this.ids = new Ids(this.clock);
    this.auth = new AuthService(database, new ApiKeyStore(), ids, this.clock);
    this.portalSessions = new PortalSessions(database, new PortalSessionStore(), this.clock);
    ApplicationStore applicationStore = new ApplicationStore();
    this.applications = new ApplicationService(database, applicationStore, ids, this.clock);
    EventTypeStore eventTypeStore = new EventTypeStore();
    PayloadSchemas payloadSchemas =
        new PayloadSchemas(database, eventTypeStore, this.clock, config.validatePayloads());
    this.eventTypes =
        new EventTypeService(database, eventTypeStore, ids, this.clock, payloadSchemas);
    EndpointStore endpointStore = new EndpointStore(cipher);
    DeliveryStore deliveryStore = new DeliveryStore();
    MessageStore messageStore = new MessageStore();
    this.operationalEvents =
        new OperationalEvents(
            applicationStore, endpointStore, messageStore, deliveryStore, ids, this.clock);
    this.endpoints =
        new EndpointService(
            database,
            endpointStore,
            new ApplicationEndpoints(applications, eventTypeStore, operationalEvents),
            ids,
            this.clock);
    this.operationalEndpoints =
        new EndpointService(
            database, endpointStore, new OperationalEndpoints(applications), ids, this.clock);
    this.nodeId = "node_" + java.util.UUID.randomUUID().toString().substring(0, 8);
    this.sender = parallel.sender();
    // The sandbox creates its GraalJS engine on the first transformation, not here: a node whose
    // endpoints have none never loads it (docs/transformations.md, start-up).
    this.transformations =
        new Transformations(
            database,
            new TransformationStore(),
            endpoints,
            this.clock,
            new Sandbox(SandboxLimits.defaults(), metrics.registry()));
    DeliveryStores deliveryStores =
        new DeliveryStores(database, groupCommit, deliveryStore, new AttemptStore(), endpointStore);
    NodeContext node =
        new NodeContext(
            nodeId, ids, this.clock, () -> ThreadLocalRandom.current().nextDouble(), metrics);
    var attemptParts =
        Dispatcher.parts(
            config.delivery(), deliveryStores, sender, node, operationalEvents, transformations);
    this.dispatcher = new Dispatcher(nodeId, deliveryStores, attemptParts);
    this.messages =
        new MessageService(
            new MessageService.Parts(deliveryStores, messageStore, applications, payloadSchemas),
            dispatcher,
            config.delivery(),
            node);
    AttemptStore attemptStore = new AttemptStore();
    this.attemptLog =
        new AttemptLog(database, attemptStore, deliveryStore, endpointStore, endpoints, messages);
    TaskStore taskStore = new TaskStore();
    this.taskRunner =
        new TaskRunner(
            node, database, taskStore, deliveryStore, dispatcher, config.delivery().pollInterval());
    this.tasks = new TaskService(database, taskStore, endpoints, taskRunner, ids, this.clock);
    this.retention =
        new RetentionJob(
            database,
            new RetentionStore(),
            this.clock,
            config.retention().period(),
            config.retention().interval(),
            metrics.backgroundErrors("retention"));
    SourceStore sourceStore = new SourceStore(cipher);
    InboundStore inboundStore = new InboundStore();
    this.sources = new SourceService(database, sourceStore, inboundStore, applications, this.clock);
    this.ingest =
        new Ingest(
            database,
            sourceStore,
            inboundStore,
            messages,
            this.clock,
            metrics.registry(),
            System::nanoTime);
    this.inboundPrune =
        InboundPrune.job(
            database, inboundStore, this.clock, metrics.backgroundErrors("inbound-prune"));
    this.tenantIndexFill =
        TenantIndexFill.job(database, metrics.backgroundErrors("tenant-index-fill")).orElse(null);
    this.queueMonitor = new QueueMonitor(database, new QueueStatsStore(), metrics, this.clock);
    this.workListener =
        database
            .dialect()
            .workListener(
                config.databaseSettings(),
                dispatcher.nodeId(),
                dispatcher::wake,
                metrics.backgroundErrors("listen"))
            .orElse(null);
  }

  /**
   * Bootstraps an empty database and starts the node's roles: the worker loops (dispatcher, task
   * runner, retention, LISTEN) and the HTTP server (the API on API nodes; health on every node).
   */
  public Herald start() {
    generatedAdminKey = auth.bootstrap(config.keys().bootstrapApiKey());
    if (config.hasRole(Role.WORKER)) {
      dispatcher.start();
      taskRunner.start();
      retention.start();
      inboundPrune.start();
      if (workListener != null) {
        workListener.start();
      }
    }
    queueMonitor.start();
    if (tenantIndexFill != null) {
      tenantIndexFill.start();
    }
    http = HttpApi.create(apiServices()).start();
    metrics.bindJvmMeters();
    metricsServer = MetricsServer.startIfConfigured(config, metrics);
    // The node id is what delivery.lease_owner holds: this line tells operators which process it
    // is.
    log.info(
        "Herald {} node {} listening on port {} ({})",
        Version.current(),
        nodeId,
        port(),
        config.describe());
    return this;
  }

  /** What the HTTP API may reach of this node. */
  public ApiServices apiServices() {
    return new ApiServices(
        config,
        database,
        clock,
        metrics,
        auth,
        portalSessions,
        applications,
        eventTypes,
        endpoints,
        operationalEndpoints,
        messages,
        attemptLog,
        tasks,
        sources,
        ingest,
        transformations,
        this::isDraining,
        dispatcher::held,
        this::publicUrl);
  }

  /** The admin key generated on first start, to be shown once; empty otherwise. */
  public Optional<String> generatedAdminKey() {
    return generatedAdminKey;
  }

  public int port() {
    return http.port();
  }

  /**
   * The port of the token-free {@code /metrics} listener, when {@code HERALD_METRICS_PORT} is set.
   */
  public OptionalInt metricsPort() {
    return metricsServer == null ? OptionalInt.empty() : OptionalInt.of(metricsServer.port());
  }

  public String publicUrl() {
    return config.http().publicUrl() != null
        ? config.http().publicUrl()
        : "http://localhost:" + port();
  }

  public Transformations transformations() {
    return transformations;
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

  /** True once shutdown began: the API answers 503 and readiness is false. */
  public boolean isDraining() {
    return draining;
  }

  public EndpointService operationalEndpoints() {
    return operationalEndpoints;
  }

  public Metrics metrics() {
    return metrics;
  }

  public QueueMonitor queueMonitor() {
    return queueMonitor;
  }

  public RetentionJob retention() {
    return retention;
  }

  /**
   * Graceful stop: refuse new API requests (503 with Retry-After), stop the background loops, let
   * in-flight deliveries finish up to the request timeout and give back the leases of the rest so
   * another node takes them at once, then close the server and the database.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    draining = true;
    retention.close();
    inboundPrune.close();
    if (tenantIndexFill != null) {
      tenantIndexFill.close();
    }
    taskRunner.close();
    if (workListener != null) {
      workListener.close();
    }
    queueMonitor.close();
    dispatcher.stop(config.delivery().requestTimeout());
    if (http != null) {
      http.stop();
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    dispatcher.close();
    transformations.close();
    sender.close();
    groupCommit.close();
    database.close();
  }
}
