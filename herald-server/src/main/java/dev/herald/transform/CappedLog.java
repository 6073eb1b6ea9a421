package dev.herald.transform;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The console of one warm context: what {@code console.log} writes during a call, up to a cap (a
 * script logging in a loop must not fill the heap). Reset before each call.
 */
final class CappedLog extends OutputStream {
  private final int cap;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private boolean truncated;

  CappedLog(int cap) {
    this.cap = cap;
  }

  @Override
  public synchronized void write(int b) {
    if (kept.size() < cap) {
      kept.write(b);
    } else {
      truncated = true;
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    int room = Math.max(0, cap - kept.size());
    kept.write(b, off, Math.min(room, len));
    truncated |= len > room;
  }

  synchronized void reset() {
    kept.reset();
    truncated = false;
  }

  /** The lines written, the last one cut at the cap and followed by a marker if more came. */
  synchronized String text() {
    String s = kept.toString(StandardCharsets.UTF_8);
    return truncated ? s + "\n[console output truncated at " + cap + " bytes]" : s;
  }
}
