package io.goncloud.ui.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Optional;

/**
 * Where the console's built files (Vite's dist/) are read from: the bundle's /dist folder in Karaf, a
 * directory in tests.
 */
@FunctionalInterface
public interface ConsoleFiles {

    /**
     * The file at {@code path} (relative, '/'-separated, no leading slash, already checked to stay inside
     * the folder), or empty when there is none; directories are not files.
     */
    Optional<URL> find(String path);

    /** Reads a whole file; the console's files are small (the largest is about 1 MB). */
    static byte[] read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }
}
