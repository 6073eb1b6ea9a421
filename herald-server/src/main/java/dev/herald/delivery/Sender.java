package dev.herald.delivery;

import dev.herald.Version;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Sends delivery requests with Jetty's HttpClient through its async API (measured 2.6x the JDK
 * client here, see docs/architecture.md). Redirects are not followed; only the first {@code
 * responseBodyLimit} bytes of a response are read, then the exchange is cut, so a receiver
 * answering with a huge body costs nothing.
 */
public final class Sender implements AutoCloseable {

  /** What a send produced, and how long it took. */
  public record Result(AttemptOutcome outcome, long durationMillis) {}

  /** Internal marker: the body limit was reached and the rest of the response is not wanted. */
  private static final class BodyLimitReached extends RuntimeException {
    BodyLimitReached() {
      super("response body limit reached", null, false, false);
    }
  }

  private final HttpClient client;
  private final long timeoutMillis;
  private final int responseBodyLimit;

  public Sender(DeliveryConfig config) {
    this.timeoutMillis = config.requestTimeout().toMillis();
    this.responseBodyLimit = config.responseBodyLimit();
    QueuedThreadPool pool = new QueuedThreadPool(64, 4);
    pool.setName("herald-http-client");
    pool.setDaemon(true);
    client = new HttpClient();
    client.setExecutor(pool);
    client.setSocketAddressResolver(
        new SsrfGuard(config.ssrfAllow(), Executors.newVirtualThreadPerTaskExecutor()));
    client.setFollowRedirects(false);
    // No cookie jar: one client sends every tenant's deliveries, and a cookie one receiver set was
    // sent with every later request to its host, another customer's endpoint on it included.
    client.setHttpCookieStore(new HttpCookieStore.Empty());
    client.setConnectTimeout(Math.min(timeoutMillis, 10_000));
    client.setIdleTimeout(60_000);
    // Many endpoints can share one host (a platform receiving for many customers): the dispatcher's
    // per-endpoint lanes and in-flight budget are the limits, not the client's per-host pool.
    client.setMaxConnectionsPerDestination(Math.max(config.maxInFlight(), 16));
    client.setMaxRequestsQueuedPerDestination(100_000);
    client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Herald/" + Version.current()));
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP client", e);
    }
  }

  public CompletableFuture<Result> send(String url, byte[] body, Map<String, String> headers) {
    return send("POST", url, body, headers);
  }

  /** {@code method} is POST, PUT or PATCH (a transformation may choose). */
  public CompletableFuture<Result> send(
      String method, String url, byte[] body, Map<String, String> headers) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    long started = System.nanoTime();
    final URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      // The reason only: the message quotes the URL, which may hold credentials (stored before
      // they were refused).
      String reason =
          e.getCause() instanceof java.net.URISyntaxException u ? u.getReason() : "unparseable";
      done.complete(new Result(new AttemptOutcome.ConnectionFailed("invalid URL: " + reason), 0));
      return done;
    }
    CappedBody captured = new CappedBody(responseBodyLimit);
    client
        .newRequest(uri)
        .method(HttpMethod.fromString(method))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .body(new BytesRequestContent("application/json", body))
        .headers(h -> headers.forEach(h::put))
        .onResponseContent(
            (response, content) -> {
              if (!captured.take(content)) {
                response.abort(new BodyLimitReached());
              }
            })
        .send(
            result -> {
              long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
              Throwable failure = result.getFailure();
              var response = result.getResponse();
              boolean gotResponse =
                  response != null
                      && response.getStatus() > 0
                      && (failure == null
                          || failure instanceof BodyLimitReached
                          || result.getResponseFailure() instanceof BodyLimitReached);
              if (gotResponse) {
                String text = captured.text();
                boolean abort =
                    "abort-message".equalsIgnoreCase(response.getHeaders().get("webhook-delivery"));
                done.complete(
                    new Result(
                        new AttemptOutcome.Response(
                            response.getStatus(),
                            text,
                            response.getHeaders().get(HttpHeader.RETRY_AFTER),
                            abort),
                        millis));
              } else {
                done.complete(new Result(classify(failure), millis));
              }
            });
    return done;
  }

  private AttemptOutcome classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SsrfGuard.BlockedAddressException) {
        return new AttemptOutcome.Blocked(t.getMessage());
      }
      if (t instanceof TimeoutException) {
        return new AttemptOutcome.TimedOut("no complete response within " + timeoutMillis + " ms");
      }
      if (t instanceof java.io.EOFException) {
        // Jetty's message here is a dump of its connection internals, not something for an attempt
        // log.
        return new AttemptOutcome.ConnectionFailed(
            "the receiver closed the connection without answering");
      }
    }
    String detail =
        failure == null
            ? "unknown failure"
            : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    return new AttemptOutcome.ConnectionFailed(detail);
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      // Stopping is best effort at shutdown.
    }
  }

  /**
   * The start of a response body, up to a limit, in an array that grows as content arrives: most
   * receivers answer with a few bytes, and allocating the whole limit (20 KiB) per request was 37 %
   * of what Herald allocated while draining a backlog (JFR allocation samples).
   */
  static final class CappedBody {
    private final int limit;
    private byte[] bytes = new byte[0];
    private int size;

    CappedBody(int limit) {
      this.limit = limit;
    }

    /**
     * Keeps what fits of {@code content}; false once the limit is reached (the rest is unwanted).
     */
    boolean take(ByteBuffer content) {
      int n = Math.min(content.remaining(), limit - size);
      if (n > 0) {
        if (size + n > bytes.length) {
          bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(size + n, 2 * size)));
        }
        content.slice().get(bytes, size, n);
        size += n;
      }
      return content.remaining() <= n && size < limit;
    }

    String text() {
      return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }
  }
}
