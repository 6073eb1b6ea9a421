package dev.herald.cli;

import dev.herald.Herald;
import dev.herald.config.ConfigException;
import dev.herald.config.HeraldConfig;
import dev.herald.config.LogFormat;
import dev.herald.store.DataDirectoryInUse;
import java.io.PrintWriter;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs a Herald node until SIGTERM/SIGINT. Every setting comes from HERALD_* variables. */
@Command(
    name = "serve",
    description =
        "Run a Herald node until Ctrl-C or SIGTERM; every setting is a HERALD_* environment"
            + " variable.")
final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    HeraldConfig config;
    try {
      config = HeraldConfig.fromEnvironment(System.getenv());
    } catch (ConfigException e) {
      System.err.println("herald: invalid configuration: " + e.getMessage());
      return 2;
    }
    Herald herald;
    try {
      herald = new Herald(config, InstantSource.system());
    } catch (ConfigException e) {
      // Found against the database (a main key that does not match it): the same one line, no
      // trace.
      System.err.println("herald: refusing to start: " + e.getMessage());
      return 2;
    } catch (DataDirectoryInUse e) {
      System.err.println("herald: " + e.getMessage());
      return 2;
    }
    herald.start();
    PrintWriter out = spec.commandLine().getOut();
    // With JSON logs a collector reads the output; the banner is for a person at a terminal. A key
    // generated now is still shown: there is no other way to learn it.
    boolean forCollector = LogFormat.fromEnvironment(System.getenv()) == LogFormat.JSON;
    out.print(forCollector ? StartBanner.generatedKey(herald) : StartBanner.text(herald));
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  drain(herald);
                  stopped.countDown();
                  // SIGTERM is the normal way to stop a node; a completed drain is a clean exit,
                  // not 143.
                  System.out.flush();
                  System.err.flush();
                  Runtime.getRuntime().halt(0);
                },
                "herald-shutdown"));
    stopped.await();
    return 0;
  }

  // The two lines an operator watches during a rolling restart: that the stop was seen, and that
  // it finished; how long it took tells whether in-flight deliveries held it up.
  private static void drain(Herald herald) {
    long start = System.nanoTime();
    log.info(
        "draining node {}: the API answers 503 from now on; of {} deliveries held, those in flight"
            + " get up to {} to finish, queued ones go back to the database",
        herald.nodeId(),
        herald.dispatcher().held(),
        SettingsHelp.duration(herald.config().delivery().requestTimeout()));
    try {
      herald.close();
      log.info(
          "stopped node {}: drained and closed in {} ms", herald.nodeId(), elapsedMillis(start));
    } catch (Throwable t) {
      log.error(
          "stopping node {} failed after {} ms; deliveries it held are taken over when their leases"
              + " lapse",
          herald.nodeId(),
          elapsedMillis(start),
          t);
    }
  }

  private static long elapsedMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
