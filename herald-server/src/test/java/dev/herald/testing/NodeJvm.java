package dev.herald.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The command line of a Herald node that a test starts as its own JVM ({@link HeraldProcess}): the
 * test's classpath and JVM options for a node that lives seconds to minutes on a two-core machine
 * shared with the test JVM, the other nodes and PostgreSQL. Measured there, a node with the JVM's
 * defaults spent 4.4 s of CPU until it answered its first request (18 s of wall time when restarted
 * under the cluster load) and C2's compiler threads took half of its CPU under load. So:
 *
 * <ul>
 *   <li>{@code -XX:TieredStopAtLevel=1}: C1 only, which compiles cheaply and soon enough for a test
 *       node: start-up CPU 2.6 s instead of 4.4 s, a third less CPU under load;
 *   <li>{@code -XX:+UseSerialGC}: one collector thread for a small heap;
 *   <li>a class-data-sharing archive (AppCDS) of the classes a node loads to start, written by a
 *       training start: start-up CPU 1.6 s instead of 2.6 s. CDS reads classes only from jars, so
 *       the directories on the classpath ({@code target/classes}, {@code target/test-classes}) are
 *       copied into jars first. Jars and archive are kept in {@code target/node-jvm/<fingerprint>},
 *       the fingerprint taken over every classpath file's name, size and modification time: the
 *       test JVMs of a build share them (a file lock lets one make them), and a later build whose
 *       classes did not change reuses them. Without an archive (the training failed) nodes start
 *       the same way, only slower.
 * </ul>
 */
final class NodeJvm {
  private static final Duration TRAINING_DEADLINE = Duration.ofSeconds(60);
  private static final List<String> OPTIONS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "-Xmx512m",
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC");

  private static List<String> command;

  private NodeJvm() {}

  /** {@code java}, its options and classpath, ready for a main class and its arguments. */
  static synchronized List<String> command() {
    if (command == null) {
      command = prepare();
    }
    return command;
  }

  private static List<String> prepare() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this JVM"));
    String classPath = System.getProperty("java.class.path");
    Path root = Path.of(System.getProperty("basedir", "."), "target", "node-jvm");
    Path dir = root.resolve(fingerprint(java, classPath));
    Path jars = dir.resolve("classpath.txt");
    Path archive = dir.resolve("herald-node.jsa");
    try {
      Files.createDirectories(root);
      try (FileChannel lockFile =
              FileChannel.open(
                  root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = lockFile.lock()) {
        if (!Files.exists(jars)) {
          long started = System.nanoTime();
          // What earlier builds left (other classes, so another fingerprint) is of no more use.
          try (Stream<Path> old = Files.list(root)) {
            old.filter(Files::isDirectory).forEach(NodeJvm::deleteRecursively);
          }
          Files.createDirectories(dir);
          String jarred = jarredClassPath(classPath, dir);
          String trouble = train(command(java, jarred, null), archive, dir);
          if (trouble != null) {
            System.err.println("test nodes start without a class-data archive: " + trouble);
            Files.deleteIfExists(archive);
          }
          Files.writeString(jars, jarred);
          System.out.printf(
              "test nodes: classpath jarred and class-data archive written in %d ms%n",
              (System.nanoTime() - started) / 1_000_000);
        }
        return command(java, Files.readString(jars), Files.exists(archive) ? archive : null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the test nodes' classpath in " + dir, e);
    }
  }

  private static List<String> command(String java, String classPath, Path archive) {
    List<String> out = new ArrayList<>();
    out.add(java);
    out.addAll(OPTIONS);
    if (archive != null) {
      // The JDK's own archive was made without --enable-native-access, which CDS reports as an
      // error line on every start once an archive is named; the archive is used all the same.
      out.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:aot=off"));
    }
    out.addAll(List.of("-cp", classPath));
    return List.copyOf(out);
  }

  /** A hash of the JVM, the options and every classpath file's name, size and modification time. */
  private static String fingerprint(String java, String classPath) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      StringBuilder text = new StringBuilder(java).append(OPTIONS);
      for (String entry : classPath.split(File.pathSeparator)) {
        Path path = Path.of(entry);
        if (!Files.exists(path)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(path)) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            text.append('\n')
                .append(f)
                .append(' ')
                .append(Files.size(f))
                .append(' ')
                .append(Files.getLastModifiedTime(f).toMillis());
          }
        }
      }
      byte[] hash = sha.digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts a node on a fresh SQLite data directory with {@code -XX:ArchiveClassesAtExit}, waits
   * until it answers an authenticated request and stops it with SIGTERM, which writes the archive.
   * Returns why that failed, or null.
   */
  private static String train(List<String> base, Path archive, Path dir) {
    List<String> training = new ArrayList<>(base);
    training.add(1, "-XX:ArchiveClassesAtExit=" + archive);
    training.addAll(List.of("dev.herald.cli.Main", "serve"));
    Map<String, String> env =
        Map.of(
            "HERALD_DATA_DIR",
            dir.resolve("training-data").toString(),
            "HERALD_BOOTSTRAP_API_KEY",
            TestServer.ADMIN_KEY);
    Path log = dir.resolve("training.log");
    try (HeraldProcess node = HeraldProcess.launch(training, env, log)) {
      node.awaitReady(TRAINING_DEADLINE);
      node.api(TestServer.ADMIN_KEY).get("/api/v1/app");
      int exit = node.stop(TRAINING_DEADLINE);
      if (exit != 0 || !Files.isRegularFile(archive) || Files.size(archive) == 0) {
        return "the training node exited with " + exit + ":\n" + node.logTail();
      }
      return null;
    } catch (AssertionError | RuntimeException | IOException e) {
      return e.toString();
    } finally {
      deleteRecursively(dir.resolve("training-data"));
    }
  }

  /** The classpath with each directory replaced by a jar of its files, made in {@code dir}. */
  private static String jarredClassPath(String classPath, Path dir) {
    List<String> entries = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        Path jar = dir.resolve(entries.size() + "-" + path.getFileName() + ".jar");
        writeJar(path, jar);
        entries.add(jar.toString());
      } else {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void writeJar(Path root, Path jar) {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted().toList()) {
        if (p.equals(root)) {
          continue;
        }
        String name = root.relativize(p).toString().replace(File.separatorChar, '/');
        if (Files.isDirectory(p)) {
          out.putNextEntry(new JarEntry(name + "/"));
        } else {
          out.putNextEntry(new JarEntry(name));
          Files.copy(p, out);
        }
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + jar, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (NoSuchFileException e) {
      // nothing to delete
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
