package dev.herald;

import dev.herald.delivery.DeliveryConfig;
import dev.herald.delivery.Sender;
import dev.herald.json.Json;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.MimeTypes;

/**
 * The parts of a node's start that need no database, begun on a second thread while the main thread
 * opens and migrates the database: the outbound HTTP client (its TLS context and selector) and the
 * one-time set-up of two classes the HTTP server and its first answer need. Together they were
 * about a sixth of the main thread's start-up CPU (JFR, docs/benchmarks.md, start-up); done beside
 * the migration they leave the main thread's path.
 */
final class ParallelStart {
  private final CompletableFuture<Sender> sender;

  private ParallelStart(CompletableFuture<Sender> sender) {
    this.sender = sender;
  }

  static ParallelStart begin(DeliveryConfig delivery) {
    return new ParallelStart(
        CompletableFuture.supplyAsync(
            () -> {
              prepareServerClasses();
              return new Sender(delivery);
            },
            task -> Thread.ofPlatform().name("herald-start").daemon().start(task)));
  }

  /**
   * Jetty's MIME table lists every locale the JDK knows when it is first touched (about 30 ms), and
   * the first JSON answer builds Herald's Jackson mapper (about 20 ms): both happen once per JVM,
   * so doing them here only moves them off the main thread.
   */
  private static void prepareServerClasses() {
    MimeTypes.DEFAULTS.getMimeByExtension("index.json");
    Json.write(Map.of("status", "ok"));
  }

  /** The started outbound client; what starting it threw is thrown here. */
  Sender sender() {
    try {
      return sender.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * The node will not start: the outbound client is stopped as soon as it is up. The answer
   * completes once it is.
   */
  CompletableFuture<Void> abandon() {
    return sender.thenAccept(Sender::close);
  }
}
