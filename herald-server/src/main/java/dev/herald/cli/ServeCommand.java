package dev.herald.cli;

import dev.herald.Herald;
import dev.herald.config.ConfigException;
import dev.herald.config.HeraldConfig;
import dev.herald.store.DataDirectoryInUse;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** Runs a Herald node until SIGTERM/SIGINT. Every setting comes from HERALD_* variables. */
@Command(name = "serve", description = "Run the Herald server (settings: HERALD_* environment variables, see docs/configuration.md).")
final class ServeCommand implements Callable<Integer> {

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
      // Found against the database (a main key that does not match it): the same one line, no trace.
      System.err.println("herald: refusing to start: " + e.getMessage());
      return 2;
    } catch (DataDirectoryInUse e) {
      System.err.println("herald: " + e.getMessage());
      return 2;
    }
    herald.start();
    herald.generatedAdminKey().ifPresent(key -> {
      System.out.println();
      System.out.println("  Herald created the admin API key for this installation. It is shown only once:");
      System.out.println();
      System.out.println("    " + key);
      System.out.println();
      System.out.flush();
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      herald.close();
      stopped.countDown();
      // SIGTERM is the normal way to stop a node; a completed drain is a clean exit, not 143.
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(0);
    }, "herald-shutdown"));
    stopped.await();
    return 0;
  }
}
