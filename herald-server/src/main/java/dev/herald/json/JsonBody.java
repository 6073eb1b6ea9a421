package dev.herald.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.error.ValidationFailed;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON request body parsed once: its tree, and where the value of each top-level member lies in
 * the bytes as sent. The tree is for validation; {@link #rawMember} gives a member exactly as the
 * client wrote it, so a value Herald passes on (a message payload) keeps its numbers' digits,
 * member order and string escapes, which a tree re-serialised by Jackson would not (a double turns
 * {@code 12345678901234567.89} into {@code 1.2345678901234568E16}).
 */
public final class JsonBody {
  private final byte[] bytes;
  private final JsonNode root;
  private final Map<String, int[]> spans;

  private JsonBody(byte[] bytes, JsonNode root, Map<String, int[]> spans) {
    this.bytes = bytes;
    this.root = root;
    this.spans = spans;
  }

  /** A body built in code rather than received: its members are serialised when asked for. */
  public static JsonBody of(JsonNode root) {
    return new JsonBody(null, root, Map.of());
  }

  /**
   * Parses one JSON value that must fill the whole body (whitespace around it is fine). UTF-8 only,
   * as RFC 8259 requires between systems: the raw slices are handed on as UTF-8. Anything else is a
   * 422.
   */
  public static JsonBody parse(byte[] bytes) {
    try (JsonParser p = Json.MAPPER.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw invalid("the body holds no JSON value");
      }
      if (p.currentTokenLocation().getByteOffset() < 0) {
        // Jackson detected UTF-16 or UTF-32 and reads characters, not bytes.
        throw invalid("the body must be encoded in UTF-8");
      }
      Map<String, int[]> spans = new HashMap<>();
      JsonNode root =
          first == JsonToken.START_OBJECT ? readObject(p, spans) : orNull(p.readValueAsTree());
      checkNothingFollows(bytes, (int) p.currentLocation().getByteOffset());
      return new JsonBody(bytes, root, spans);
    } catch (JsonProcessingException e) {
      throw invalid(e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalStateException("reading a body held in memory failed", e);
    }
  }

  private static ObjectNode readObject(JsonParser p, Map<String, int[]> spans) throws IOException {
    ObjectNode object = Json.MAPPER.createObjectNode();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      int start = (int) p.currentTokenLocation().getByteOffset();
      JsonNode value = orNull(p.readValueAsTree());
      // The parser now stands just past the value's last byte (a number's terminator is unread).
      int end = (int) p.currentLocation().getByteOffset();
      // A repeated name keeps its last value, in the tree as in the spans.
      object.set(name, value);
      spans.put(name, new int[] {start, end});
    }
    return object;
  }

  /** Only JSON whitespace may follow the value; Jackson would stop reading at the value's end. */
  private static void checkNothingFollows(byte[] bytes, int end) {
    for (int i = end; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        throw invalid("unexpected data after the JSON value at byte " + i);
      }
    }
  }

  private static ValidationFailed invalid(String why) {
    return new ValidationFailed(
        List.of(
            new ValidationFailed.Item(
                List.of("body"), "the body is not valid JSON: " + why, "value_error.jsondecode")));
  }

  private static JsonNode orNull(JsonNode node) {
    return node == null ? NullNode.getInstance() : node;
  }

  public JsonNode root() {
    return root;
  }

  /**
   * The value of a top-level member exactly as sent, or null when the member is absent. A body
   * built in code has no bytes; its member is serialised instead.
   */
  public byte[] rawMember(String name) {
    int[] span = spans.get(name);
    if (span != null) {
      return Arrays.copyOfRange(bytes, span[0], span[1]);
    }
    JsonNode node = root != null && root.isObject() ? root.get(name) : null;
    return node == null ? null : Json.writeBytes(node);
  }
}
