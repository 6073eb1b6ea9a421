package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.eventtype.SchemaProbe;
import dev.herald.filter.ContentFilter;
import dev.herald.filter.FilterDocument;
import dev.herald.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the payload features cost per message, timed in this JVM on Herald's own classes: parsing
 * the payload, one endpoint's content filter, and schema validation. No Herald process runs; the
 * figures are CPU time per call on one core, to set beside the whole message's CPU in {@code
 * throughput}.
 */
@Command(
    name = "payload-costs",
    mixinStandardHelpOptions = true,
    description =
        "Per-message CPU cost of parsing a payload, a content filter and schema validation (in-process).")
final class PayloadCostsScenario extends Scenario {

  /** A 1 KiB order: the shape the filter and schema below look at. */
  static final String PAYLOAD =
      "{\"id\":\"ord_123\",\"status\":\"paid\",\"total\":129.5,\"currency\":\"EUR\","
          + "\"customer\":{\"id\":\"cus_9\",\"email\":\"ada@example.com\",\"country\":\"FR\","
          + "\"tier\":\"gold\"},\"lines\":["
          + "{\"sku\":\"A-1\",\"qty\":2,\"price\":20.0},{\"sku\":\"B-7\",\"qty\":1,\"price\":89.5}],"
          + "\"tags\":[\"web\",\"promo\"],\"note\":\""
          + "n".repeat(620)
          + "\"}";

  /** Nine conditions, as a team's filter on orders might read. */
  static final String FILTER =
      "{\"payload\":{\"status\":{\"$in\":[\"paid\",\"refunded\"]},\"total\":{\"$gte\":100},"
          + "\"currency\":\"EUR\",\"customer\":{\"country\":{\"$neq\":\"US\"},"
          + "\"tier\":{\"$startsWith\":\"go\"},\"email\":{\"$endsWith\":\"example.com\"}},"
          + "\"lines\":{\"sku\":\"B-7\"},\"tags\":\"web\",\"id\":{\"$exist\":true}}}";

  static final String SCHEMA =
      "{\"type\":\"object\",\"required\":[\"id\",\"status\",\"total\",\"customer\",\"lines\"],"
          + "\"properties\":{\"id\":{\"type\":\"string\",\"pattern\":\"^ord_\"},"
          + "\"status\":{\"enum\":[\"paid\",\"refunded\",\"pending\"]},"
          + "\"total\":{\"type\":\"number\",\"minimum\":0},\"currency\":{\"type\":\"string\","
          + "\"minLength\":3,\"maxLength\":3},\"customer\":{\"type\":\"object\","
          + "\"required\":[\"id\",\"email\"],\"properties\":{\"email\":{\"type\":\"string\","
          + "\"format\":\"email\"}}},\"lines\":{\"type\":\"array\",\"minItems\":1,\"items\":"
          + "{\"type\":\"object\",\"required\":[\"sku\",\"qty\"],\"properties\":{\"qty\":"
          + "{\"type\":\"integer\",\"minimum\":1}}}},\"tags\":{\"type\":\"array\","
          + "\"uniqueItems\":true}}}";

  @Option(names = "--iterations", description = "calls per timed round (default: ${DEFAULT-VALUE})")
  int iterations = 200_000;

  @Option(
      names = "--rounds",
      description = "timed rounds; the median is kept (default: ${DEFAULT-VALUE})")
  int rounds = 5;

  @Override
  String name() {
    return "payload-costs";
  }

  @Override
  boolean needsCeiling() {
    return false;
  }

  @Override
  Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("iterations", iterations);
    p.put("rounds", rounds);
    p.put("payload_bytes", PAYLOAD.length());
    p.put("filter_conditions", 9);
    return p;
  }

  @Override
  Map<String, Object> measure(Bench bench) throws Exception {
    byte[] payload = PAYLOAD.getBytes(StandardCharsets.UTF_8);
    ContentFilter filter = ContentFilter.compile(Json.MAPPER.readTree(FILTER));
    JsonNode parsed = Json.MAPPER.readTree(payload);
    SchemaProbe schema = new SchemaProbe(Json.MAPPER.readTree(SCHEMA));
    if (!new FilterDocument("order.paid", payload).passes(filter, null)
        || schema.problems(parsed) != 0) {
      throw new IllegalStateException("the bench payload must pass its filter and schema");
    }
    double parseUs = time(() -> parse(payload));
    double parseAndFilterUs =
        time(() -> new FilterDocument("order.paid", payload).passes(filter, null) ? 1 : 0);
    double schemaUs = time(() -> schema.problems(parsed));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("parse_us", Stats.round(parseUs, 2));
    m.put("filter_us", Stats.round(Math.max(0, parseAndFilterUs - parseUs), 2));
    m.put("parse_and_filter_us", Stats.round(parseAndFilterUs, 2));
    m.put("schema_us", Stats.round(schemaUs, 2));
    return m;
  }

  private static int parse(byte[] payload) {
    try {
      return Json.MAPPER.readTree(payload).size();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Median microseconds per call over the rounds, after a warm-up round of the same size. */
  private double time(IntSupplier call) {
    long sink = 0;
    for (int i = 0; i < iterations; i++) {
      sink += call.getAsInt();
    }
    List<Double> perCall = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < iterations; i++) {
        sink += call.getAsInt();
      }
      perCall.add((System.nanoTime() - start) / 1e3 / iterations);
    }
    if (sink == 42) {
      System.out.print(""); // keeps the calls from being optimised away
    }
    return Stats.median(perCall);
  }
}
