package dev.herald.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdsTest {

  /**
   * EndpointApiTest's "oldest first" listing failed now and then: a burst shared one millisecond.
   */
  @Test
  void ids_made_in_the_same_millisecond_sort_in_the_order_they_were_made() {
    Ids ids = new Ids(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      made.add(ids.next(IdPrefix.ENDPOINT));
    }

    assertThat(made).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void ids_of_a_later_millisecond_sort_after_every_earlier_one_and_above_its_lower_bound() {
    long millis = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    String earlier =
        new Ids(InstantSource.fixed(Instant.ofEpochMilli(millis))).next(IdPrefix.MESSAGE);
    String later =
        new Ids(InstantSource.fixed(Instant.ofEpochMilli(millis + 1))).next(IdPrefix.MESSAGE);

    assertThat(earlier).isLessThan(Ids.lowerBound(IdPrefix.MESSAGE, millis + 1));
    assertThat(Ids.lowerBound(IdPrefix.MESSAGE, millis + 1)).isLessThanOrEqualTo(later);
  }

  @Test
  void base62_writes_the_same_digits_as_dividing_the_whole_number() {
    Random random = new Random(62);
    List<byte[]> numbers = new ArrayList<>();
    numbers.add(new byte[20]);
    byte[] max = new byte[20];
    java.util.Arrays.fill(max, (byte) 0xff);
    numbers.add(max);
    for (int i = 0; i < 2_000; i++) {
      byte[] raw = new byte[20];
      random.nextBytes(raw);
      numbers.add(raw);
    }

    for (byte[] raw : numbers) {
      assertThat(Ids.base62(raw)).isEqualTo(base62ByBigInteger(raw));
    }
  }

  /** The encoding as first written, kept as the reference the faster one must match. */
  private static String base62ByBigInteger(byte[] raw) {
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    char[] out = new char[27];
    BigInteger n = new BigInteger(1, raw);
    BigInteger base = BigInteger.valueOf(62);
    for (int i = 26; i >= 0; i--) {
      BigInteger[] qr = n.divideAndRemainder(base);
      out[i] = alphabet.charAt(qr[1].intValue());
      n = qr[0];
    }
    return new String(out);
  }
}
