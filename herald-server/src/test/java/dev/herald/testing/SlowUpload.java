package dev.herald.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Sends a POST as a client that writes its whole body before it reads the answer, with a pause
 * before the last kilobyte: by then a server that stops reading at some limit has read all it will,
 * answered and closed, and a socket closed with unread data resets the connection. The client's
 * last write then fails (broken pipe, connection reset) instead of it reading the answer: what
 * Java's HttpClient showed now and then for bodies a little above the API's limit.
 */
public final class SlowUpload {
  private SlowUpload() {}

  /** The answer's status line, for example {@code HTTP/1.1 413 Payload Too Large}. */
  public static String post(String url, Map<String, String> headers, byte[] body)
      throws IOException, InterruptedException {
    URI uri = URI.create(url);
    StringBuilder head = new StringBuilder();
    head.append("POST ").append(uri.getRawPath());
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\nHost: ").append(uri.getAuthority()).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      int first = Math.max(0, body.length - 1024);
      out.write(body, 0, first);
      out.flush();
      Thread.sleep(300);
      out.write(body, first, body.length - first);
      out.flush();
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }
}
