package dev.herald.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiver that misbehaves below HTTP, on a raw {@link ServerSocket}: it reads each request
 * whole, then resets the connection, trickles its answer one byte at a time, or never answers. One
 * request per connection; each connection on its own virtual thread.
 */
public final class SocketReceiver implements AutoCloseable {

  /** What the receiver does once it has read a request. */
  public enum Behaviour {
    /** Closes the socket abruptly (SO_LINGER 0: the peer sees a TCP reset). */
    RESET,
    /** Writes a valid 200 response one byte at a time, {@code trickleInterval} apart. */
    TRICKLE,
    /** Keeps the connection open and says nothing until the client gives up. */
    NEVER_ANSWER
  }

  private static final byte[] TRICKLED_RESPONSE =
      "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 20\r\n\r\ntrickled very slowly"
          .getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final Behaviour behaviour;
  private final Duration trickleInterval;
  private final AtomicInteger requests = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private SocketReceiver(Behaviour behaviour, Duration trickleInterval) {
    this.behaviour = behaviour;
    this.trickleInterval = trickleInterval;
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofVirtual().name("socket-receiver-" + behaviour).start(this::acceptLoop);
  }

  public static SocketReceiver start(Behaviour behaviour) {
    return new SocketReceiver(behaviour, Duration.ofMillis(100));
  }

  public String url() {
    return "http://127.0.0.1:"
        + server.getLocalPort()
        + "/"
        + behaviour.name().toLowerCase(Locale.ROOT);
  }

  /** Requests read in full so far. */
  public int requests() {
    return requests.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        Thread.ofVirtual().start(() -> handle(socket));
      } catch (IOException e) {
        if (!closed) {
          System.err.println("socket receiver: accept failed: " + e);
        }
      }
    }
  }

  private void handle(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      if (!readRequest(in)) {
        return;
      }
      requests.incrementAndGet();
      switch (behaviour) {
        case RESET -> socket.setSoLinger(true, 0);
        case TRICKLE -> {
          OutputStream out = socket.getOutputStream();
          for (byte b : TRICKLED_RESPONSE) {
            out.write(b);
            out.flush();
            Thread.sleep(trickleInterval);
          }
        }
        case NEVER_ANSWER -> {
          while (in.read() >= 0) {
            // Wait in silence until the client closes the connection.
          }
        }
      }
    } catch (IOException e) {
      // The client gave up (timeout) or the receiver is closing: expected here.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(socket);
    }
  }

  /** Reads the request line, headers and a content-length body; false on end of stream. */
  private static boolean readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    int length = 0;
    for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    return in.readNBytes(length).length == length;
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
