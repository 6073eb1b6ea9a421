package dev.herald.cli;

import dev.herald.verify.Webhook;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code herald listen}: a local webhook receiver for development, like the Stripe and Svix CLIs
 * have.
 */
@Command(
    name = "listen",
    description =
        "Receive webhooks on this machine and print each one: method, path, the webhook-* headers"
            + " and the body. With --secret, verify its signature and say why when it fails.",
    sortOptions = false)
final class ListenCommand implements Callable<Integer> {
  static final int DEFAULT_STATUS = 204;
  private static final int MIN_BARE_SECRET_LENGTH = 32;

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "9000",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on; 0.0.0.0 to receive from other machines"
              + " (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--secret",
      paramLabel = "whsec_...",
      description =
          "The endpoint's signing secret; repeat it to accept several (a rotation). Without it,"
              + " signatures are shown but not checked.")
  List<String> secrets = List.of();

  @Option(
      names = "--status",
      defaultValue = "" + DEFAULT_STATUS,
      description =
          "HTTP status to answer every request with, e.g. 500 to watch Herald retry"
              + " (default: ${DEFAULT-VALUE}).")
  int status;

  @Override
  public Integer call() throws InterruptedException {
    if (status < 200 || status > 599) {
      throw new ParameterException(
          spec.commandLine(), "--status " + status + " is not allowed: use 200..599");
    }
    Webhook verifier;
    try {
      secrets.forEach(ListenCommand::checkLooksLikeASecret);
      verifier = secrets.isEmpty() ? null : Webhook.trusting(secrets);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--secret is not a signing secret: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    WebhookListener listener;
    try {
      listener = WebhookListener.start(host, port, verifier, status, out, InstantSource.system());
    } catch (IOException e) {
      spec.commandLine()
          .getErr()
          .println("herald: cannot listen on " + host + ":" + port + ": " + e.getMessage());
      return 1;
    }
    String checking =
        secrets.isEmpty()
            ? "signatures are not checked (no --secret)"
            : "verifying signatures with the given secret" + (secrets.size() > 1 ? "s" : "");
    out.println(
        "Listening for webhooks on http://"
            + host
            + ":"
            + listener.port()
            + "/ (any path), answering "
            + status
            + "; "
            + checking
            + ".");
    out.println("Stop with Ctrl-C.");
    out.println();
    out.flush();
    // Runs until the process is stopped; the JVM's exit closes the socket.
    new CountDownLatch(1).await();
    return 0;
  }

  // The verifier takes any base64 as a bare secret, so a typo or a password would be "valid" and
  // fail
  // every request; Herald's own secrets are whsec_ (or whpk_ for ed25519) or 32+ characters of
  // base64.
  private static void checkLooksLikeASecret(String secret) {
    boolean prefixed = secret.startsWith("whsec_") || secret.startsWith("whpk_");
    if (!prefixed && secret.length() < MIN_BARE_SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "use the endpoint's secret as Herald shows it, whsec_ followed by"
              + " base64 (GET /api/v1/app/{app}/endpoint/{endpoint}/secret)");
    }
  }
}
