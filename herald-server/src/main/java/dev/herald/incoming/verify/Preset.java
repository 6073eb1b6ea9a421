package dev.herald.incoming.verify;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The verifiers a source can use, each with its provider's defaults: the event type template, the
 * expression of the provider's delivery id (the default de-duplication key and the message's
 * metadata), and the headers a consumer needs to check the provider's signature again (kept in the
 * envelope of a body that is not JSON or a form).
 */
public enum Preset {
  STRIPE(new Stripe(), "{json:/type}", "json:/id", List.of("Stripe-Signature")),
  GITHUB(
      new BodyHmac("X-Hub-Signature-256", "sha256", "hex", "sha256="),
      "{header:X-GitHub-Event}.{json:/action}",
      "header:X-GitHub-Delivery",
      List.of("X-Hub-Signature-256", "X-GitHub-Event", "X-GitHub-Delivery", "X-GitHub-Hook-ID")),
  SHOPIFY(
      new BodyHmac("X-Shopify-Hmac-Sha256", "sha256", "base64", ""),
      "{header:X-Shopify-Topic}",
      "header:X-Shopify-Webhook-Id|header:X-Shopify-Event-Id",
      List.of(
          "X-Shopify-Hmac-Sha256",
          "X-Shopify-Topic",
          "X-Shopify-Shop-Domain",
          "X-Shopify-Webhook-Id",
          "X-Shopify-Event-Id",
          "X-Shopify-Triggered-At",
          "X-Shopify-API-Version")),
  SLACK(
      new Slack(),
      "{json:/event/type|json:/type|form:command}",
      "json:/event_id",
      List.of("X-Slack-Signature", "X-Slack-Request-Timestamp")),
  TWILIO(
      new Twilio(),
      "{form:EventType|form:MessageStatus|form:SmsStatus|form:CallStatus|json:/type}",
      "header:I-Twilio-Idempotency-Token",
      List.of("X-Twilio-Signature", "I-Twilio-Idempotency-Token")),
  SVIX(
      new StandardWebhooks(),
      "{json:/type|json:/eventType}",
      "header:svix-id|header:webhook-id",
      List.of(
          "svix-id",
          "svix-timestamp",
          "svix-signature",
          "webhook-id",
          "webhook-timestamp",
          "webhook-signature")),
  STANDARD_WEBHOOKS(
      new StandardWebhooks(),
      "{json:/type|json:/eventType}",
      "header:webhook-id|header:svix-id",
      SVIX.signatureHeaders),
  PADDLE(new Paddle(), "{json:/event_type}", "json:/event_id", List.of("Paddle-Signature")),
  LINEAR(
      new Linear(),
      "{json:/type}.{json:/action}",
      "header:Linear-Delivery",
      List.of("Linear-Signature", "Linear-Delivery", "Linear-Event")),
  ZOOM(
      new Zoom(),
      "{json:/event}",
      null,
      List.of("x-zm-signature", "x-zm-request-timestamp", "x-zm-trackingid")),
  SQUARE(new Square(), "{json:/type}", "json:/event_id", List.of("x-square-hmacsha256-signature")),
  MAILGUN(
      new Mailgun(),
      "{json:/event-data/event|form:event}",
      "json:/event-data/id|json:/signature/token|form:token",
      List.of()),
  SENDGRID(
      new SendGrid(),
      "{json:/0/event}",
      "json:/0/sg_event_id",
      List.of(SendGrid.SIGNATURE, SendGrid.TIMESTAMP)),
  TWITCH(
      new Twitch(),
      "{header:Twitch-Eventsub-Subscription-Type}",
      "header:" + Twitch.ID,
      List.of(
          Twitch.ID,
          Twitch.TIMESTAMP,
          Twitch.SIGNATURE,
          "Twitch-Eventsub-Message-Type",
          "Twitch-Eventsub-Subscription-Type",
          "Twitch-Eventsub-Subscription-Version")),
  GITLAB(
      new Gitlab(),
      "{json:/object_kind|header:X-Gitlab-Event}",
      "header:X-Gitlab-Event-UUID|header:Idempotency-Key|header:webhook-id",
      List.of(
          "X-Gitlab-Event",
          "X-Gitlab-Event-UUID",
          "X-Gitlab-Instance",
          "webhook-id",
          "webhook-timestamp",
          "webhook-signature")),
  HMAC(BodyHmac.configured(), Defaults.GENERIC_TYPE, null, List.of()),
  BASIC_AUTH(new BasicAuth(), Defaults.GENERIC_TYPE, null, List.of()),
  API_KEY(new ApiKey(), Defaults.GENERIC_TYPE, null, List.of()),
  NONE((r, c, now) -> Verdict.VALID, Defaults.GENERIC_TYPE, null, List.of());

  private static final class Defaults {
    static final String GENERIC_TYPE = "{json:/type|json:/event_type|json:/event}";
  }

  private final Verifier verifier;
  private final String eventTypeTemplate;
  private final String deliveryId;
  private final List<String> signatureHeaders;

  Preset(
      Verifier verifier,
      String eventTypeTemplate,
      String deliveryId,
      List<String> signatureHeaders) {
    this.verifier = verifier;
    this.eventTypeTemplate = eventTypeTemplate;
    this.deliveryId = deliveryId;
    this.signatureHeaders = signatureHeaders;
  }

  /** The name in the API, e.g. {@code standard_webhooks}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Preset> byWireName(String name) {
    for (Preset p : values()) {
      if (p.wireName().equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  public static List<String> wireNames() {
    return java.util.Arrays.stream(values()).map(Preset::wireName).toList();
  }

  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    return verifier.verify(r, c, now);
  }

  public Optional<Challenge> challenge(InboundRequest r, VerifierConfig c) {
    return verifier.challenge(r, c);
  }

  /** The event type template used when the source sets none. */
  public String eventTypeTemplate() {
    return eventTypeTemplate;
  }

  /** The provider's delivery id in the request, or null when it has none. */
  public String deliveryId(InboundRequest r) {
    return deliveryId == null ? null : Extract.value(deliveryId, r);
  }

  /** The headers that carry the provider's signature and ids (plus the configured one for hmac). */
  public List<String> signatureHeaders(VerifierConfig c) {
    return this == HMAC && c.header() != null ? List.of(c.header()) : signatureHeaders;
  }

  /** Whether the secrets are sent as they are (tokens, passwords), not used as signing keys. */
  public boolean sendsSecretItself() {
    return this == BASIC_AUTH || this == API_KEY || this == GITLAB;
  }
}
