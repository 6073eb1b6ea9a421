package dev.herald.incoming;

import dev.herald.error.ValidationFailed;
import dev.herald.incoming.verify.Extract;
import dev.herald.incoming.verify.Preset;
import dev.herald.incoming.verify.VerifierConfig;
import dev.herald.incoming.verify.VerifierRules;
import dev.herald.json.BodyReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a source's settings from a create or patch body. A patch starts from the current settings
 * and changes what the body names; a verifier of the same type keeps its secrets unless the patch
 * sends new ones. Every broken rule, nested ones included, ends in one 422.
 */
public final class SourceIn {
  private static final Pattern ANY = Pattern.compile("(?s).+");
  private static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");
  private static final Pattern PREFIX = Pattern.compile("^[a-zA-Z0-9\\-_.]*$");
  private static final Pattern CONTENT_TYPE = Pattern.compile("^[\\x20-\\x7e]+$");
  public static final long MAX_RATE_LIMIT = 100_000;

  private SourceIn() {}

  /** The settings of a new source. */
  public static Source.Settings create(BodyReader body) {
    return read(body, null);
  }

  /** {@code current} changed by the fields the body names. */
  public static Source.Settings patch(BodyReader body, Source.Settings current) {
    return read(body, current);
  }

  private static Source.Settings read(BodyReader body, Source.Settings current) {
    List<ValidationFailed.Item> problems = new ArrayList<>();
    String uid = body.string("uid", 1, 256, BodyReader.ID_PATTERN);
    String name = current == null ? null : current.name();
    if (current == null || body.has("name")) {
      name = body.requiredString("name") == null ? null : body.string("name", 1, 256, ANY);
    }
    Boolean disabled = body.bool("disabled");
    VerifierConfig verifier = current == null ? null : current.verifier();
    if (current == null && !body.has("verifier")) {
      body.fail("verifier", "field required", "value_error.missing");
    } else if (body.has("verifier")) {
      verifier = verifier(body, current == null ? null : current.verifier(), problems);
    }
    EventTypeRule eventType = current == null ? EventTypeRule.DEFAULT : current.eventType();
    if (body.has("eventType") && !body.isNull("eventType")) {
      eventType = eventType(body.nested("eventType"), problems);
    }
    DedupeRule dedupe = current == null ? DedupeRule.DEFAULT : current.dedupe();
    if (body.has("dedupe") && !body.isNull("dedupe")) {
      dedupe = dedupe(body.nested("dedupe"), problems);
    }
    SuccessResponse response = current == null ? SuccessResponse.DEFAULT : current.response();
    if (body.has("response") && !body.isNull("response")) {
      response = response(body.nested("response"), problems);
    }
    Long failureStatus = body.integer("failureStatus", 400, 599);
    Long rateLimit = body.integer("rateLimit", 1, MAX_RATE_LIMIT);
    collect(body, problems);
    if (!problems.isEmpty()) {
      throw new ValidationFailed(problems);
    }
    return new Source.Settings(
        body.has("uid") ? uid : current == null ? null : current.uid(),
        name,
        disabled != null ? disabled : current != null && current.disabled(),
        verifier,
        eventType,
        dedupe,
        response,
        failureStatus != null
            ? failureStatus.intValue()
            : current == null ? Source.DEFAULT_FAILURE_STATUS : current.failureStatus(),
        body.has("rateLimit")
            ? (rateLimit == null ? null : rateLimit.intValue())
            : current == null ? null : current.rateLimit());
  }

  private static VerifierConfig verifier(
      BodyReader top, VerifierConfig current, List<ValidationFailed.Item> problems) {
    BodyReader v = top.nested("verifier");
    String typeName = v.requiredString("type");
    Preset type = null;
    if (typeName != null) {
      type = Preset.byWireName(typeName).orElse(null);
      if (type == null) {
        v.fail(
            "type",
            "unknown verifier type; one of " + String.join(", ", Preset.wireNames()),
            "type_error.enum");
      }
    }
    List<String> secrets = null;
    if (v.has("secrets") && !v.isNull("secrets")) {
      secrets = secrets(v);
    } else if (current != null && current.type() == type) {
      secrets = current.secrets();
    }
    Long tolerance = v.integer("toleranceSeconds", 1, VerifierRules.MAX_TOLERANCE_SECONDS);
    String publicUrl = v.string("publicUrl", 1, 2048, ANY);
    String header = v.string("header", 1, 256, HEADER_NAME);
    String algorithm = v.string("algorithm", 1, 16, ANY);
    String encoding = v.string("encoding", 1, 16, ANY);
    String prefix = v.string("prefix", 0, 256, ANY);
    collect(v, problems);
    if (type == null) {
      return null;
    }
    VerifierConfig config =
        new VerifierConfig(
            type,
            secrets,
            tolerance == null ? null : tolerance.intValue(),
            publicUrl,
            header,
            algorithm,
            encoding,
            prefix);
    for (VerifierRules.Problem p : VerifierRules.check(config)) {
      List<String> loc = new ArrayList<>(List.of("body", "verifier"));
      loc.addAll(p.loc());
      problems.add(new ValidationFailed.Item(loc, p.msg(), p.type()));
    }
    return config;
  }

  /** The secrets as sent; a problem never repeats a secret's text. */
  private static List<String> secrets(BodyReader v) {
    com.fasterxml.jackson.databind.JsonNode n = v.node("secrets");
    if (!n.isArray()) {
      v.fail("secrets", "value is not a valid list", "type_error.list");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode item : n) {
      if (!item.isTextual() || item.textValue().indexOf('\u0000') >= 0) {
        v.fail("secrets", "secrets must be strings without NUL characters", "type_error.str");
        return null;
      }
      if (!out.contains(item.textValue())) {
        out.add(item.textValue());
      }
    }
    return out;
  }

  private static EventTypeRule eventType(BodyReader r, List<ValidationFailed.Item> problems) {
    String template = r.string("template", 1, EventTypeRule.MAX_TEMPLATE_LENGTH, ANY);
    if (template != null) {
      String why = EventTypeRule.problem(template);
      if (why != null) {
        r.fail("template", why, "value_error.template");
      }
    }
    String prefix = r.string("prefix", 0, 64, PREFIX);
    String fallback = r.string("fallback", 1, 256, BodyReader.ID_PATTERN);
    collect(r, problems);
    return new EventTypeRule(template, prefix, fallback);
  }

  private static DedupeRule dedupe(BodyReader r, List<ValidationFailed.Item> problems) {
    Boolean enabled = r.bool("enabled");
    List<String> key = r.stringSet("key", 0, DedupeRule.MAX_KEYS, 512, ANY);
    if (key != null) {
      for (String e : key) {
        String why = Extract.problem(e);
        if (why != null) {
          r.fail("key", why, "value_error.expression");
        }
      }
    }
    Long window = r.integer("windowSeconds", 1, DedupeRule.MAX_WINDOW_SECONDS);
    collect(r, problems);
    return new DedupeRule(
        enabled == null || enabled,
        key,
        window == null ? DedupeRule.DEFAULT_WINDOW_SECONDS : window);
  }

  private static SuccessResponse response(BodyReader r, List<ValidationFailed.Item> problems) {
    Long status = r.integer("status", 200, 299);
    String contentType = r.string("contentType", 1, 256, CONTENT_TYPE);
    String text = r.string("body", 0, 65_536, Pattern.compile("(?s).*"));
    collect(r, problems);
    SuccessResponse d = SuccessResponse.DEFAULT;
    return new SuccessResponse(
        status == null ? d.status() : status.intValue(),
        contentType == null ? d.contentType() : contentType,
        text == null ? d.body() : text);
  }

  private static void collect(BodyReader r, List<ValidationFailed.Item> problems) {
    try {
      r.validate();
    } catch (ValidationFailed e) {
      problems.addAll(e.items());
    }
  }
}
