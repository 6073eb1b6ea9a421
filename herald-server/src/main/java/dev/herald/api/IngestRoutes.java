package dev.herald.api;

import dev.herald.error.Unavailable;
import dev.herald.incoming.Ingest;
import dev.herald.incoming.verify.InboundRequest;
import io.javalin.http.Context;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code POST /in/{source_id}}: the ingest URL providers send webhooks to. No API key: the source's
 * verifier (and the unguessable id) decides. The body is read up to {@code HERALD_MAX_PAYLOAD_SIZE}
 * bytes and handed on untouched.
 */
final class IngestRoutes {
  static final String PATH = "/in/{source_id}";

  private final Ingest ingest;
  private final long maxBodyBytes;
  private final BooleanSupplier draining;
  private final java.time.InstantSource clock;

  IngestRoutes(
      Ingest ingest, long maxBodyBytes, BooleanSupplier draining, java.time.InstantSource clock) {
    this.ingest = ingest;
    this.maxBodyBytes = maxBodyBytes;
    this.draining = draining;
    this.clock = clock;
  }

  void register(Routes r) {
    r.publicPost(PATH, this::receive);
  }

  private void receive(Context ctx) {
    if (draining.getAsBoolean()) {
      throw new Unavailable("shutting_down", "this node is shutting down; retry on another node");
    }
    // Read as the API reads bodies: to the end before a 413, and a stalled body is a JSON 408.
    byte[] body = Requests.bodyWithin(ctx, maxBodyBytes, ingest::countTooLarge);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(ctx.req().getHeaderNames())) {
      headers.put(name, Collections.list(ctx.req().getHeaders(name)));
    }
    InboundRequest request =
        new InboundRequest("POST", ctx.queryString(), headers, body, clock.instant());
    Ingest.Answer answer = ingest.receive(ctx.pathParam("source_id"), request);
    ctx.status(answer.status()).contentType(answer.contentType()).result(answer.body());
  }
}
