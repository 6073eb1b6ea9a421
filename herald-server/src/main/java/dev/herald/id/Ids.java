package dev.herald.id;

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

  /**
   * The 160-bit big-endian number in {@code raw} in base62, most significant digit first. Long
   * division of five 32-bit words by 62, once per digit: every message, delivery and attempt gets
   * an id on the accepting request or the writer's thread, and {@code BigInteger} division cost
   * about 1.5 % of Herald's CPU at full load (a CPU-time profile of bench {@code throughput}).
   */
  static String base62(byte[] raw) {
    int[] words = new int[raw.length / 4];
    for (int i = 0; i < words.length; i++) {
      words[i] =
          (raw[4 * i] & 0xff) << 24
              | (raw[4 * i + 1] & 0xff) << 16
              | (raw[4 * i + 2] & 0xff) << 8
              | (raw[4 * i + 3] & 0xff);
    }
    char[] out = new char[ENCODED_LENGTH];
    for (int digit = ENCODED_LENGTH - 1; digit >= 0; digit--) {
      long remainder = 0;
      for (int i = 0; i < words.length; i++) {
        long current = remainder << 32 | (words[i] & 0xffffffffL);
        words[i] = (int) (current / 62);
        remainder = current % 62;
      }
      out[digit] = ALPHABET[(int) remainder];
    }
    return new String(out);
  }
}
