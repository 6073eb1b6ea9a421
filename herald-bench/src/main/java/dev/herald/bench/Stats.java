package dev.herald.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Turning measurements into the numbers a result row carries. */
final class Stats {
  private Stats() {}

  /** p50, p99, p99.9 and max in milliseconds, from a histogram in microseconds. */
  static Map<String, Object> latency(Histogram micros) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", micros.getTotalCount());
    m.put("p50_ms", ms(micros.getValueAtPercentile(50)));
    m.put("p99_ms", ms(micros.getValueAtPercentile(99)));
    m.put("p999_ms", ms(micros.getValueAtPercentile(99.9)));
    m.put("max_ms", ms(micros.getMaxValue()));
    return m;
  }

  static double ms(long micros) {
    return round(micros / 1000.0, 2);
  }

  static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  static double mib(long bytes) {
    return bytes < 0 ? -1 : round(bytes / 1024.0 / 1024.0, 1);
  }

  /** The median of a non-empty list (the lower middle for even sizes). */
  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get((sorted.size() - 1) / 2);
  }
}
