package dev.herald.delivery;

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
 * Resolves delivery host names and drops every address in a non-public range unless an allowed CIDR
 * covers it. Because the HTTP client dials exactly the addresses returned here, the check applies
 * to the address actually connected to: a host name that re-resolves to an internal address between
 * a check and the connection (DNS rebinding) is not possible.
 */
final class SsrfGuard implements SocketAddressResolver {

  /** Thrown (through the promise) when every resolved address is blocked. */
  static final class BlockedAddressException extends UnknownHostException {
    BlockedAddressException(String message) {
      super(message);
    }
  }

  private static final List<Cidr> BLOCKED =
      List.of(
              "0.0.0.0/8",
              "10.0.0.0/8",
              "100.64.0.0/10",
              "127.0.0.0/8",
              "169.254.0.0/16",
              "172.16.0.0/12",
              "192.0.0.0/24",
              "192.0.2.0/24",
              "192.88.99.0/24",
              "192.168.0.0/16",
              "198.18.0.0/15",
              "198.51.100.0/24",
              "203.0.113.0/24",
              "224.0.0.0/4",
              "240.0.0.0/4",
              "255.255.255.255/32",
              "100::/64",
              "2001:db8::/32",
              "fc00::/7",
              "fe80::/10",
              "fec0::/10",
              "ff00::/8",
              // Local-use NAT64 (RFC 8215): not globally reachable, and where the IPv4 address sits
              // depends on a prefix length chosen inside each network, so it is blocked whatever it
              // carries.
              "64:ff9b:1::/48")
          .stream()
          .map(Cidr::parse)
          .toList();

  private final List<Cidr> allowed;
  private final Executor executor;

  SsrfGuard(List<String> allowedCidrs, Executor executor) {
    this.allowed = allowedCidrs.stream().map(Cidr::parse).toList();
    this.executor = executor;
  }

  @Override
  public void resolve(
      String host,
      int port,
      Map<String, Object> context,
      Promise<List<InetSocketAddress>> promise) {
    executor.execute(
        () -> {
          try {
            promise.succeeded(resolve(host, port));
          } catch (Throwable t) {
            promise.failed(t);
          }
        });
  }

  List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
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
      throw new BlockedAddressException(
          "blocked by the SSRF guard: "
              + host
              + " resolves to "
              + (firstBlocked == null ? "nothing" : firstBlocked.getHostAddress())
              + ", a non-public address (allow it with HERALD_SSRF_ALLOW)");
    }
    return permitted;
  }

  /**
   * An address is permitted when an allowed CIDR covers it; an IPv6 address that carries IPv4
   * addresses is then judged by those (every one must be permitted), since that is where the
   * packets end up; any other address when no blocked range covers it.
   */
  boolean isPermitted(InetAddress address) {
    for (Cidr c : allowed) {
      if (c.contains(address)) {
        return true;
      }
    }
    List<InetAddress> carried = EmbeddedIpv4.of(address);
    if (!carried.isEmpty()) {
      return carried.stream().allMatch(this::isPermitted);
    }
    for (Cidr c : BLOCKED) {
      if (c.contains(address)) {
        return false;
      }
    }
    return true;
  }
}
