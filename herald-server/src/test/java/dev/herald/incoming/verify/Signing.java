package dev.herald.incoming.verify;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs requests the way each provider does, written from the providers' documentation (not from
 * Herald's verifiers), for computed test cases.
 */
final class Signing {
  static final String PUBLIC_URL = "https://herald.example.com/in/src_test";

  /** A provider's signed request, for a secret, body and signing time. */
  interface Signer {
    InboundRequest sign(String secret, byte[] body, long epochSeconds);
  }

  private Signing() {}

  static byte[] hmac(String alg, byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(alg);
      mac.init(new SecretKeySpec(key, alg));
      return mac.doFinal(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] hmac256(String key, String data) {
    return hmac("HmacSHA256", utf8(key), utf8(data));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  static InboundRequest request(Map<String, String> headers, byte[] body, String query) {
    Map<String, List<String>> multi = new LinkedHashMap<>();
    headers.forEach((k, v) -> multi.put(k, List.of(v)));
    return new InboundRequest("POST", query, multi, body, Instant.EPOCH);
  }

  static InboundRequest request(Map<String, String> headers, byte[] body) {
    return request(headers, body, null);
  }

  static Map<String, String> json(String... pairs) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    for (int i = 0; i < pairs.length; i += 2) {
      h.put(pairs[i], pairs[i + 1]);
    }
    return h;
  }

  static final Signer STRIPE =
      (secret, body, t) ->
          request(
              json(
                  "Stripe-Signature",
                  "t=" + t + ",v1=" + hex(hmac256(secret, t + "." + text(body)))),
              body);

  static final Signer GITHUB =
      (secret, body, t) ->
          request(
              json(
                  "X-Hub-Signature-256",
                  "sha256=" + hex(hmac256(secret, text(body))),
                  "X-GitHub-Event",
                  "issues",
                  "X-GitHub-Delivery",
                  "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
              body);

  static final Signer SHOPIFY =
      (secret, body, t) ->
          request(
              json(
                  "X-Shopify-Hmac-Sha256",
                  b64(hmac256(secret, text(body))),
                  "X-Shopify-Topic",
                  "orders/create"),
              body);

  static final Signer SLACK =
      (secret, body, t) ->
          request(
              json(
                  "X-Slack-Request-Timestamp",
                  String.valueOf(t),
                  "X-Slack-Signature",
                  "v0=" + hex(hmac256(secret, "v0:" + t + ":" + text(body)))),
              body);

  /** Standard Webhooks / Svix: the key is the base64 after whsec_. */
  static Signer standardWebhooks(String family) {
    return (secret, body, t) -> {
      String id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
      byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      String sig = b64(hmac("HmacSHA256", key, utf8(id + "." + t + "." + text(body))));
      return request(
          json(
              family + "id",
              id,
              family + "timestamp",
              String.valueOf(t),
              family + "signature",
              "v1," + sig),
          body);
    };
  }

  static final Signer PADDLE =
      (secret, body, t) ->
          request(
              json(
                  "Paddle-Signature",
                  "ts=" + t + ";h1=" + hex(hmac256(secret, t + ":" + text(body)))),
              body);

  /** Linear signs the body; the timestamp is in it (milliseconds). */
  static final Signer LINEAR =
      (secret, body, t) -> {
        String withTs = text(body).replaceFirst("\\{", "{\"webhookTimestamp\":" + (t * 1000) + ",");
        byte[] b = utf8(withTs);
        return request(
            json("Linear-Signature", hex(hmac256(secret, withTs)), "Linear-Delivery", "d-1"), b);
      };

  static final Signer ZOOM =
      (secret, body, t) ->
          request(
              json(
                  "x-zm-request-timestamp",
                  String.valueOf(t),
                  "x-zm-signature",
                  "v0=" + hex(hmac256(secret, "v0:" + t + ":" + text(body)))),
              body);

  static final Signer SQUARE =
      (secret, body, t) ->
          request(
              json("x-square-hmacsha256-signature", b64(hmac256(secret, PUBLIC_URL + text(body)))),
              body);

  /** Twilio with a form body: URL, then the parameters sorted by name, name then value. */
  static final Signer TWILIO =
      (secret, body, t) -> {
        Map<String, List<String>> form = InboundRequest.parsePairs(text(body));
        StringBuilder data = new StringBuilder(PUBLIC_URL);
        new java.util.TreeMap<>(form).forEach((k, v) -> v.forEach(x -> data.append(k).append(x)));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/x-www-form-urlencoded");
        h.put("X-Twilio-Signature", b64(hmac("HmacSHA1", utf8(secret), utf8(data.toString()))));
        return request(h, body);
      };

  /** Mailgun: the signature travels in the JSON body; the event data is not signed. */
  static final Signer MAILGUN =
      (secret, body, t) -> {
        String token = "c2a5f58e0c8f4a0d9d1b2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a";
        String sig = hex(hmac256(secret, t + token));
        String json =
            "{\"signature\":{\"timestamp\":\""
                + t
                + "\",\"token\":\""
                + token
                + "\",\"signature\":\""
                + sig
                + "\"},\"event-data\":"
                + text(body)
                + "}";
        return request(json(), utf8(json));
      };

  static final Signer TWITCH =
      (secret, body, t) -> {
        String id = "e76c6bd4-55c9-4987-8304-da1588d8988b";
        String ts = Instant.ofEpochSecond(t).atOffset(ZoneOffset.UTC).toString();
        return request(
            json(
                "Twitch-Eventsub-Message-Id",
                id,
                "Twitch-Eventsub-Message-Timestamp",
                ts,
                "Twitch-Eventsub-Message-Signature",
                "sha256=" + hex(hmac256(secret, id + ts + text(body))),
                "Twitch-Eventsub-Message-Type",
                "notification",
                "Twitch-Eventsub-Subscription-Type",
                "channel.follow"),
            body);
      };

  static final Signer GITLAB_TOKEN =
      (secret, body, t) ->
          request(json("X-Gitlab-Token", secret, "X-Gitlab-Event", "Push Hook"), body);

  static final Signer HMAC_SHA512_BASE64 =
      (secret, body, t) ->
          request(json("X-Signature", "sig=" + b64(hmac("HmacSHA512", utf8(secret), body))), body);

  static final Signer BASIC_AUTH =
      (secret, body, t) -> request(json("Authorization", "Basic " + b64(utf8(secret))), body);

  static final Signer API_KEY =
      (secret, body, t) -> request(json("Authorization", "Bearer " + secret), body);

  /** SendGrid: ECDSA P-256 over timestamp + body; the "secret" names a generated key pair. */
  static final Map<String, KeyPair> EC_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

  static String ecPublicKey(String name) {
    return b64(ecKeys(name).getPublic().getEncoded());
  }

  static KeyPair ecKeys(String name) {
    return EC_KEYS.computeIfAbsent(
        name,
        n -> {
          try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** The secret passed in is the base64 public key; the matching private key signs. */
  static final Signer SENDGRID =
      (secret, body, t) -> {
        PrivateKey key =
            EC_KEYS.values().stream()
                .filter(k -> b64(k.getPublic().getEncoded()).equals(secret))
                .findFirst()
                .map(KeyPair::getPrivate)
                .orElseGet(() -> ecKeys("unknown-" + secret.hashCode()).getPrivate());
        try {
          Signature s = Signature.getInstance("SHA256withECDSA");
          s.initSign(key);
          s.update(utf8(String.valueOf(t)));
          s.update(body);
          return request(
              json(
                  "X-Twilio-Email-Event-Webhook-Signature",
                  b64(s.sign()),
                  "X-Twilio-Email-Event-Webhook-Timestamp",
                  String.valueOf(t)),
              body);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
}
