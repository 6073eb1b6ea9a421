package dev.herald.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository (README, docs) for tests that hold them to the code. */
final class RepositoryFiles {
  private RepositoryFiles() {}

  /** {@code relative} under the repository root, found upwards from the working directory. */
  static Path path(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.exists(dir.resolve("herald-verify")) && Files.exists(dir.resolve("README.md"))) {
        return dir.resolve(relative);
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }
}
