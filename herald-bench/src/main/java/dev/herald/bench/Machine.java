package dev.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the numbers were measured on; recorded with every result. */
record Machine(int cores, double ramGib, String cpu, String java, String os, String filesystem) {

  static Machine current(Path workDir) {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        memTotalGib(),
        cpuModel(),
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        filesystem(workDir));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", cores);
    m.put("ram_gib", ramGib);
    m.put("cpu", cpu);
    m.put("java", java);
    m.put("os", os);
    m.put("filesystem", filesystem);
    return m;
  }

  /** The one-minute load average from /proc/loadavg; -1 where there is none. */
  static double loadAverage() {
    List<String> lines = lines(Path.of("/proc/loadavg"));
    return lines.isEmpty() ? -1 : Double.parseDouble(lines.get(0).split(" ")[0]);
  }

  private static double memTotalGib() {
    for (String line : lines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
        return Math.round(kib / 1024.0 / 1024.0 * 10) / 10.0;
      }
    }
    return 0;
  }

  private static String cpuModel() {
    for (String line : lines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return System.getProperty("os.arch");
  }

  private static String filesystem(Path dir) {
    try {
      return Files.getFileStore(dir).type();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }
}
