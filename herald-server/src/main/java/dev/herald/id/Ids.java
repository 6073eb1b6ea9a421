package dev.herald.id;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.InstantSource;

/**
 * Generates ids of the form {@code <prefix>_<27 base62 chars>}: 6 bytes of epoch milliseconds
 * followed by 14 random bytes, so ids sort by creation time and double as pagination cursors.
 * Base62 keeps them free of '.', which Standard Webhooks forbids in message ids.
 */
public final class Ids {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final int ENCODED_LENGTH = 27; // ceil(160 bits / log2(62))
  private static final BigInteger BASE = BigInteger.valueOf(62);

  private final InstantSource clock;

  public Ids(InstantSource clock) {
    this.clock = clock;
  }

  private long lastMillis = -1;
  private final byte[] lastTail = new byte[14];

  /**
   * A new id. Ids made by one node in the same millisecond are strictly increasing (the random tail
   * of the previous one plus one, as ULIDs do): otherwise records created in a quick burst would
   * list in random order within their millisecond, and "oldest first" would not be creation order.
   */
  public synchronized String next(IdPrefix prefix) {
    long millis = clock.millis();
    if (millis == lastMillis && increment(lastTail)) {
      return encode(prefix, millis, lastTail);
    }
    RANDOM.nextBytes(lastTail);
    // Headroom below the top keeps the increments of one millisecond from overflowing.
    lastTail[0] &= 0x7f;
    lastMillis = millis;
    return encode(prefix, millis, lastTail);
  }

  /** Adds one to a big-endian number; false when it overflowed. */
  private static boolean increment(byte[] n) {
    for (int i = n.length - 1; i >= 0; i--) {
      if (++n[i] != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The smallest id of this prefix created at {@code millis}: every id created earlier sorts below
   * it, which lets time ranges use the primary-key index.
   */
  public static String lowerBound(IdPrefix prefix, long millis) {
    return encode(prefix, millis, new byte[14]);
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private static String encode(IdPrefix prefix, long millis, byte[] tail) {
    byte[] raw = new byte[20];
    for (int i = 5; i >= 0; i--) {
      raw[i] = (byte) millis;
      millis >>>= 8;
    }
    System.arraycopy(tail, 0, raw, 6, 14);
    return prefix.value() + "_" + base62(raw);
  }

  private static String base62(byte[] raw) {
    char[] out = new char[ENCODED_LENGTH];
    BigInteger n = new BigInteger(1, raw);
    for (int i = ENCODED_LENGTH - 1; i >= 0; i--) {
      BigInteger[] qr = n.divideAndRemainder(BASE);
      out[i] = ALPHABET[qr[1].intValue()];
      n = qr[0];
    }
    return new String(out);
  }
}
