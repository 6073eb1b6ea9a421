package dev.herald.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One entry of a verifier's trust list: a key plus the signature identifier it can check.
 *
 * <p>The secret's prefix picks the scheme, as the spec intends ("Having a unique and consistent
 * secret format allows implementations to correctly use the correct scheme without additional
 * configuration"), so callers never name an algorithm themselves.
 *
 * <p>The two implementations below are the only ones (a sealed interface of records, written out as
 * plain classes because this library compiles for Java 11).
 */
interface TrustedKey {
  String HMAC_PREFIX = "whsec_";
  String PUBLIC_KEY_PREFIX = "whpk_";
  String SIGNING_KEY_PREFIX = "whsk_";

  /** The identifier ({@code v1}, {@code v1a}) of the header entries this key can check. */
  String identifier();

  /**
   * A test of whether a header entry's base64 text (after the comma) is a valid signature by this
   * key over {@code signedPrefix} followed by {@code body}. Built once per request, so an HMAC is
   * computed once however many {@code v1} entries the header carries.
   */
  Predicate<String> matcher(byte[] signedPrefix, byte[] body);

  /** Parses a {@code whsec_}, {@code whpk_} or bare base64 (HMAC) secret. */
  static TrustedKey parse(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("Secret can't be empty");
    }
    if (secret.startsWith(SIGNING_KEY_PREFIX)) {
      // Refuse rather than guess: a whsk_ key is the sender's private key and must never be
      // handed to a receiver. The receiver wants the matching whpk_ public key.
      throw new IllegalArgumentException(
          "A whsk_ secret is a private signing key; verify with its whpk_ public key instead");
    }
    if (secret.startsWith(PUBLIC_KEY_PREFIX)) {
      return Ed25519.fromRaw(decode(secret.substring(PUBLIC_KEY_PREFIX.length())));
    }
    // Like the reference libraries, a secret without a prefix is taken as bare base64 HMAC key.
    String encoded =
        secret.startsWith(HMAC_PREFIX) ? secret.substring(HMAC_PREFIX.length()) : secret;
    return new Hmac(decode(encoded));
  }

  private static byte[] decode(String base64) {
    if (base64.isEmpty()) {
      throw new IllegalArgumentException("Secret can't be empty");
    }
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      // No cause attached: the decoder's message quotes a character of the secret.
      throw new IllegalArgumentException("Secret is not valid base64 (standard alphabet)");
    }
  }

  /** Symmetric {@code v1}: HMAC-SHA256 keyed with the base64-decoded secret bytes. */
  final class Hmac implements TrustedKey {
    private final SecretKeySpec key;

    Hmac(byte[] key) {
      this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    @Override
    public String identifier() {
      return "v1";
    }

    byte[] mac(byte[] signedPrefix, byte[] body) {
      try {
        // A fresh Mac per call: Mac instances are stateful and not thread-safe, and the
        // verifier is meant to be shared.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        mac.update(signedPrefix);
        return mac.doFinal(body);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
      }
    }

    @Override
    public Predicate<String> matcher(byte[] signedPrefix, byte[] body) {
      // Compare the base64 text rather than decoded bytes: the decoder tolerates non-canonical
      // encodings, and the text comparison keeps exactly one accepted form per signature.
      // MessageDigest.isEqual is constant time, as the spec requires for symmetric signatures.
      byte[] expected = Base64.getEncoder().encode(mac(signedPrefix, body));
      return encoded -> MessageDigest.isEqual(expected, encoded.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Asymmetric {@code v1a}: ed25519, verified by the JDK's own provider (no extra library). */
  final class Ed25519 implements TrustedKey {
    // DER header of an X.509 SubjectPublicKeyInfo for ed25519 (OID 1.3.101.112): the JDK only
    // imports encoded keys, and the raw 32-byte key is exactly what follows this fixed prefix.
    private static final byte[] X509_PREFIX = {
      0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };
    private static final int RAW_KEY_LENGTH = 32;
    private static final int SIGNATURE_LENGTH = 64;

    private final PublicKey key;

    private Ed25519(PublicKey key) {
      this.key = key;
    }

    static Ed25519 fromRaw(byte[] raw) {
      if (raw.length != RAW_KEY_LENGTH) {
        throw new IllegalArgumentException(
            "A whpk_ key must be a raw 32-byte ed25519 public key, got " + raw.length + " bytes");
      }
      byte[] encoded = new byte[X509_PREFIX.length + RAW_KEY_LENGTH];
      System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
      System.arraycopy(raw, 0, encoded, X509_PREFIX.length, RAW_KEY_LENGTH);
      try {
        return new Ed25519(
            KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded)));
      } catch (NoSuchAlgorithmException e) {
        // The JDK verifies ed25519 from Java 15 on; v1 (HMAC) works on every supported Java.
        throw new IllegalStateException(
            "whpk_ keys (v1a, ed25519) need Java 15 or newer; this is Java "
                + System.getProperty("java.specification.version"),
            e);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("The whpk_ key is not a valid ed25519 public key", e);
      }
    }

    @Override
    public String identifier() {
      return "v1a";
    }

    @Override
    public Predicate<String> matcher(byte[] signedPrefix, byte[] body) {
      return encoded -> verifies(signedPrefix, body, encoded);
    }

    private boolean verifies(byte[] signedPrefix, byte[] body, String encodedSignature) {
      byte[] signature;
      try {
        signature = Base64.getDecoder().decode(encodedSignature);
      } catch (IllegalArgumentException e) {
        return false;
      }
      if (signature.length != SIGNATURE_LENGTH) {
        return false;
      }
      try {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(signedPrefix);
        verifier.update(body);
        return verifier.verify(signature);
      } catch (InvalidKeyException | SignatureException e) {
        // A malformed signature (or a key the provider rejects late) is simply not a match;
        // another entry in the header may still verify.
        return false;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Ed25519 is unavailable in this JDK", e);
      }
    }
  }
}
