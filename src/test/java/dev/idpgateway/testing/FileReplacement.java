package dev.idpgateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a watched file whole, as a Secret update does: written beside it and moved into place, so that
 * a reload never reads it half written (an empty or truncated file would count as a broken one).
 */
public final class FileReplacement {
    private FileReplacement() {
    }

    public static void replace(Path file, String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
