package io.goncloud.driver.docker;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * The Docker build context that turns a root file system tarball into an image: a tar stream holding a
 * Dockerfile ({@code FROM scratch}, {@code ADD rootfs.tar /}, {@code CMD ["/sbin/init"]}) and the tarball.
 *
 * <p>The stream is the context's tar headers around the tarball's own bytes, read from the file as the
 * daemon consumes them: a rootfs of gigabytes is neither held in memory nor copied to a temporary file
 * (which docker-java's directory-based build would do, compressing it on the way).
 */
final class RootfsBuildContext {

    private static final int BLOCK = 512;

    private RootfsBuildContext() {
    }

    /** The Dockerfile for a tarball stored in the context as {@code name}; ADD unpacks tar, tar.gz, tar.xz... */
    static String dockerfile(String name) {
        return "FROM scratch\nADD " + name + " /\nCMD [\"/sbin/init\"]\n";
    }

    /**
     * Checks that the file looks like a tar archive (ustar magic) or a compressed one (gzip, bzip2, xz): ADD
     * copies anything else as a plain file, and the image would fail later, at start, without /sbin/init.
     * Returns the tarball's name in the context; throws with a reason otherwise.
     */
    static String contextName(Path tarball) throws IOException {
        byte[] head = new byte[BLOCK];
        int n;
        try (InputStream in = Files.newInputStream(tarball)) {
            n = in.readNBytes(head, 0, BLOCK);
        }
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return "rootfs.tar.gz";
        }
        if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return "rootfs.tar.bz2";
        }
        if (n >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z') {
            return "rootfs.tar.xz";
        }
        if (n == BLOCK && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            return "rootfs.tar";
        }
        throw new IOException("it is not a tar archive (plain, gzip, bzip2 or xz)");
    }

    /** The context as a stream; closing it closes the tarball. */
    static InputStream open(Path tarball) throws IOException {
        String name = contextName(tarball);
        byte[] dockerfile = dockerfile(name).getBytes(StandardCharsets.UTF_8);
        long size = Files.size(tarball);
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(header("Dockerfile", dockerfile.length));
        head.write(dockerfile);
        head.write(new byte[padding(dockerfile.length)]);
        head.write(header(name, size));
        // The tarball's last block padded, then the end-of-archive marker (two zero blocks).
        byte[] tail = new byte[padding(size) + 2 * BLOCK];
        return new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(head.toByteArray()),
                Files.newInputStream(tarball),
                new ByteArrayInputStream(tail))));
    }

    private static byte[] header(String name, long size) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | 0644);
        byte[] block = new byte[BLOCK];
        // Star mode writes sizes over 8 GiB in base-256, which the daemon's Go tar reader understands.
        entry.writeEntryHeader(block, ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8.name()), true);
        return block;
    }

    private static int padding(long size) {
        return (int) ((BLOCK - size % BLOCK) % BLOCK);
    }
}
