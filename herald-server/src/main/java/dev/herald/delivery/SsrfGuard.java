package dev.herald.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Resolves delivery host names and drops every address in a non-public range unless an allowed
 * CIDR covers it. Because the HTTP client dials exactly the addresses returned here, the check
 * applies to the address actually connected to: a host name that re-resolves to an internal
 * address between a check and the connection (DNS rebinding) is not possible.
 */
final class SsrfGuard implements SocketAddressResolver {

  /** Thrown (through the promise) when every resolved address is blocked. */
  static final class BlockedAddressException extends UnknownHostException {
    BlockedAddressException(String message) {
      super(message);
    }
  }

  private static final List<Cidr> BLOCKED = List.of(
      "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
      "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
      "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
      "::/128", "::1/128", "64:ff9b::/96", "100::/64", "2001:db8::/32", "fc00::/7",
      "fe80::/10", "fec0::/10", "ff00::/8", "2001::/32", "2002::/16").stream().map(Cidr::parse).toList();

  private final List<Cidr> allowed;
  private final Executor executor;

  SsrfGuard(List<String> allowedCidrs, Executor executor) {
    this.allowed = allowedCidrs.stream().map(Cidr::parse).toList();
    this.executor = executor;
  }

  @Override
  public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
    executor.execute(() -> {
      try {
        promise.succeeded(resolve(host, port));
      } catch (Throwable t) {
        promise.failed(t);
      }
    });
  }

  List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] all = InetAddress.getAllByName(bare);
    List<InetSocketAddress> permitted = new ArrayList<>();
    InetAddress firstBlocked = null;
    for (InetAddress a : all) {
      if (isPermitted(a)) {
        permitted.add(new InetSocketAddress(a, port));
      } else if (firstBlocked == null) {
        firstBlocked = a;
      }
    }
    if (permitted.isEmpty()) {
      throw new BlockedAddressException("blocked by the SSRF guard: " + host + " resolves to "
          + (firstBlocked == null ? "nothing" : firstBlocked.getHostAddress())
          + ", a non-public address (allow it with HERALD_SSRF_ALLOW)");
    }
    return permitted;
  }

  boolean isPermitted(InetAddress address) {
    for (Cidr c : allowed) {
      if (c.contains(address)) {
        return true;
      }
    }
    InetAddress normalized = unmapped(address);
    for (Cidr c : BLOCKED) {
      if (c.contains(normalized)) {
        return false;
      }
    }
    return true;
  }

  /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged as the IPv4 address it carries. */
  private static InetAddress unmapped(InetAddress a) {
    if (a instanceof Inet6Address) {
      byte[] b = a.getAddress();
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      mapped &= (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
      if (mapped) {
        try {
          return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
          return a;
        }
      }
    }
    return a;
  }
}
