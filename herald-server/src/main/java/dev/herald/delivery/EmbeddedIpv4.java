package dev.herald.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The IPv4 addresses an IPv6 address carries, for the forms that route to them: IPv4-compatible
 * {@code ::a.b.c.d} (::/96, which also holds {@code ::} and {@code ::1}), IPv4-mapped {@code
 * ::ffff:a.b.c.d}, IPv4-translated {@code ::ffff:0:a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4
 * {@code 2002:AABB:CCDD::/48} and Teredo {@code 2001::/32} (server in bits 32-64, client in the
 * last 32 bits, inverted). Any other address carries none.
 */
final class EmbeddedIpv4 {
  private EmbeddedIpv4() {}

  static List<InetAddress> of(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return List.of();
    }
    byte[] b = address.getAddress();
    if (zero(b, 0, 10) && (ones(b, 10, 12) || zero(b, 10, 12))) {
      return List.of(v4(b, 12, 0)); // IPv4-mapped and IPv4-compatible
    }
    if (zero(b, 0, 8) && ones(b, 8, 10) && zero(b, 10, 12)) {
      return List.of(v4(b, 12, 0)); // IPv4-translated
    }
    if (word(b, 0) == 0x0064 && word(b, 2) == 0xff9b && zero(b, 4, 12)) {
      return List.of(v4(b, 12, 0)); // NAT64 well-known prefix
    }
    if (word(b, 0) == 0x2002) {
      return List.of(v4(b, 2, 0)); // 6to4
    }
    if (word(b, 0) == 0x2001 && word(b, 2) == 0x0000) {
      return List.of(v4(b, 4, 0), v4(b, 12, 0xFF)); // Teredo server, then client
    }
    return List.of();
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean ones(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != (byte) 0xFF) {
        return false;
      }
    }
    return true;
  }

  private static int word(byte[] b, int at) {
    return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
  }

  private static InetAddress v4(byte[] b, int at, int xor) {
    byte[] v4 = new byte[4];
    for (int i = 0; i < 4; i++) {
      v4[i] = (byte) (b[at + i] ^ xor);
    }
    try {
      return Inet4Address.getByAddress(v4);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }
}
