package dev.herald.incoming;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.InstantSource;

/**
 * Source and ingest ids: {@code src_} and 30 base62 characters holding 6 bytes of epoch
 * milliseconds (so lists page in creation order) and 16 random bytes. The ingest URL is the only
 * credential of a source without a verifier, so it carries 128 random bits, more than the 112 of
 * Herald's other ids.
 */
final class SourceIds {
  static final String PREFIX = "src_";
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final int RANDOM_BYTES = 16;
  private static final int ENCODED_LENGTH = 30; // ceil(176 bits / log2(62))
  private static final SecureRandom RANDOM = new SecureRandom();

  private final InstantSource clock;

  SourceIds(InstantSource clock) {
    this.clock = clock;
  }

  String next() {
    return next(PREFIX);
  }

  /** An id with another prefix (request records: {@code inreq_}). */
  String next(String prefix) {
    byte[] raw = new byte[6 + RANDOM_BYTES];
    long millis = clock.millis();
    for (int i = 5; i >= 0; i--) {
      raw[i] = (byte) millis;
      millis >>>= 8;
    }
    byte[] tail = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(tail);
    System.arraycopy(tail, 0, raw, 6, RANDOM_BYTES);
    char[] out = new char[ENCODED_LENGTH];
    BigInteger n = new BigInteger(1, raw);
    BigInteger base = BigInteger.valueOf(62);
    for (int i = ENCODED_LENGTH - 1; i >= 0; i--) {
      BigInteger[] qr = n.divideAndRemainder(base);
      out[i] = ALPHABET[qr[1].intValue()];
      n = qr[0];
    }
    return prefix + new String(out);
  }
}
