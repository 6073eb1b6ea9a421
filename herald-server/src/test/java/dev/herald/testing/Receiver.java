package dev.herald.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real HTTP server standing in for a webhook receiver. It records every request (method, path,
 * headers, body bytes, arrival time) and answers each with a programmable {@link Reply}: status,
 * headers (Retry-After, {@code webhook-delivery: abort-message}, Location), a body of any size, and
 * a delay before answering (longer than Herald's request timeout = a hanging receiver).
 *
 * <p>Handlers run on virtual threads, so a hanging request never holds up the next one; closing the
 * receiver interrupts them.
 */
public final class Receiver implements AutoCloseable {

  /** One recorded request. Header names are lower-case. */
  public record Request(
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body,
      Instant receivedAt,
      long receivedNanos) {

    /** The first value of a header (name matched ignoring case), or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every header with its first value, for verifiers that take a flat map. */
    public Map<String, String> firstHeaders() {
      Map<String, String> out = new LinkedHashMap<>();
      headers.forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
      return out;
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The {@code webhook-id} header: the message id. */
    public String webhookId() {
      return header("webhook-id");
    }
  }

  /** How to answer one request. */
  public record Reply(
      int status, Map<String, String> headers, byte[] body, int bodySize, Duration delay) {
    public Reply {
      headers = Map.copyOf(headers);
      body = body == null ? new byte[0] : body;
    }

    public static Reply status(int status) {
      return new Reply(status, Map.of(), null, 0, Duration.ZERO);
    }

    public static Reply ok() {
      return status(200);
    }

    public Reply withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Reply(status, more, body, bodySize, delay);
    }

    public Reply withBody(String text) {
      return new Reply(status, headers, text.getBytes(StandardCharsets.UTF_8), 0, delay);
    }

    /** A body of {@code size} bytes of filler text, streamed rather than held in memory. */
    public Reply withBodySize(int size) {
      return new Reply(status, headers, null, size, delay);
    }

    /** Waits this long before answering. */
    public Reply after(Duration wait) {
      return new Reply(status, headers, body, bodySize, wait);
    }

    public static Reply redirectTo(String location) {
      return status(302).withHeader("Location", location);
    }
  }

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Request> requests = new ArrayList<>();
  private volatile Function<Request, Reply> responder = r -> Reply.ok();

  private Receiver(InetAddress bindAddress) {
    try {
      server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 100);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a receiver on " + bindAddress, e);
    }
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A receiver on 127.0.0.1 and a free port, answering 200 until told otherwise. */
  public static Receiver start() {
    return start(InetAddress.getLoopbackAddress());
  }

  public static Receiver start(InetAddress bindAddress) {
    return new Receiver(bindAddress);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port><path>} (or the IPv6 literal when bound to one). */
  public String url(String path) {
    InetAddress address = server.getAddress().getAddress();
    String host =
        address instanceof java.net.Inet6Address
            ? "[" + address.getHostAddress().replaceAll("%.*", "") + "]"
            : address.getHostAddress();
    return "http://" + host + ":" + port() + path;
  }

  public String url() {
    return url("/webhook");
  }

  /** Answers every request from now on with {@code reply}. */
  public Receiver replyWith(Reply reply) {
    responder = r -> reply;
    return this;
  }

  /** Answers each request with what {@code f} computes from it (e.g. from the request count). */
  public Receiver replyWith(Function<Request, Reply> f) {
    responder = f;
    return this;
  }

  /**
   * Answers 200 at once while {@code holding} is false; once it is set, holds each request until
   * {@code answer} counts down, then answers 200.
   */
  public Receiver holdWhile(AtomicBoolean holding, CountDownLatch answer) {
    return replyWith(
        request -> {
          if (holding.get()) {
            try {
              answer.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return Reply.ok();
        });
  }

  /**
   * Answers the next requests with {@code first}, in order, then every later one with {@code then}.
   */
  public Receiver replySequence(Reply then, Reply... first) {
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    responder =
        r -> {
          int index = next.getAndIncrement();
          return index < first.length ? first[index] : then;
        };
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      URI uri = exchange.getRequestURI();
      Request request =
          new Request(
              exchange.getRequestMethod(),
              uri.getRawPath(),
              Map.copyOf(headers),
              body,
              Instant.now(),
              System.nanoTime());
      synchronized (requests) {
        requests.add(request);
        requests.notifyAll();
      }
      Reply reply = responder.apply(request);
      if (!reply.delay().isZero()) {
        try {
          Thread.sleep(reply.delay());
        } catch (InterruptedException e) {
          return; // the receiver is closing
        }
      }
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      long length = reply.bodySize() > 0 ? reply.bodySize() : reply.body().length;
      exchange.sendResponseHeaders(reply.status(), length == 0 ? -1 : length);
      if (length > 0) {
        writeBody(exchange.getResponseBody(), reply);
      }
    } catch (IOException e) {
      // The client went away (a timeout, or it stopped reading a huge body): expected in tests.
    }
  }

  private static void writeBody(OutputStream out, Reply reply) throws IOException {
    if (reply.bodySize() == 0) {
      out.write(reply.body());
      return;
    }
    byte[] chunk = "0123456789abcdef".repeat(4096).getBytes(StandardCharsets.US_ASCII);
    int left = reply.bodySize();
    while (left > 0) {
      int n = Math.min(left, chunk.length);
      out.write(chunk, 0, n);
      left -= n;
    }
  }

  /** Every request received so far, in arrival order. */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public int count() {
    synchronized (requests) {
      return requests.size();
    }
  }

  /** Requests carrying {@code webhook-id: msgId}. */
  public List<Request> requestsFor(String msgId) {
    return requests().stream().filter(r -> msgId.equals(r.webhookId())).toList();
  }

  /** Waits until at least {@code n} requests arrived and returns all received so far. */
  public List<Request> awaitRequests(int n, Duration timeout) {
    return awaitMatching(n, r -> true, timeout, n + " request(s)");
  }

  /** Waits until at least {@code n} requests for {@code msgId} arrived and returns them. */
  public List<Request> awaitRequestsFor(String msgId, int n, Duration timeout) {
    return awaitMatching(
        n, r -> msgId.equals(r.webhookId()), timeout, n + " request(s) for " + msgId);
  }

  private List<Request> awaitMatching(
      int n, Predicate<Request> which, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (requests) {
      while (true) {
        List<Request> matching = requests.stream().filter(which).toList();
        if (matching.size() >= n) {
          return matching;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "receiver on port "
                  + port()
                  + " expected "
                  + what
                  + " within "
                  + timeout
                  + " but got "
                  + matching.size()
                  + " (of "
                  + requests.size()
                  + " in all)");
        }
        try {
          requests.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for " + what, e);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }
}
