package io.goncloud.core.images;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a POSIX ustar archive of directories, regular files and symbolic links, all owned by root
 * (uid/gid 0), which is all a root file system image needs.
 *
 * <p>Why our own writer: core has no tar library in its Karaf features (Commons Compress would be one
 * more bundle to ship for some 100 lines), and running {@code tar} on a staging directory would need
 * GNU tar's ownership options, a directory of hundreds of symlinks and a process. Names up to 255
 * bytes (prefix and name fields), files under 8 GiB: plenty for a busybox root file system.
 */
final class UstarWriter implements Closeable {

    private static final int BLOCK = 512;
    private static final long MAX_SIZE = 077777777777L;

    private final OutputStream out;
    private final long mtime = System.currentTimeMillis() / 1000;

    UstarWriter(OutputStream out) {
        this.out = out;
    }

    /** A directory; {@code path} is relative ("var/lib/gcp"); mode may carry the sticky bit (01777). */
    void directory(String path, int mode) throws IOException {
        out.write(header(path + "/", mode, 0, '5', ""));
    }

    void file(String path, int mode, byte[] content) throws IOException {
        out.write(header(path, mode, content.length, '0', ""));
        out.write(content);
        pad(content.length);
    }

    /** A file copied from disk as it is read, never held in memory whole. */
    void file(String path, int mode, Path source) throws IOException {
        long size = Files.size(source);
        out.write(header(path, mode, size, '0', ""));
        try (InputStream in = Files.newInputStream(source)) {
            long copied = in.transferTo(out);
            if (copied != size) {
                throw new IOException(source + " changed size while it was archived");
            }
        }
        pad(size);
    }

    void symlink(String path, String target) throws IOException {
        out.write(header(path, 0777, 0, '2', target));
    }

    /** Ends the archive (two zero blocks) and closes the stream. */
    @Override
    public void close() throws IOException {
        try (out) {
            out.write(new byte[2 * BLOCK]);
        }
    }

    private void pad(long size) throws IOException {
        out.write(new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)]);
    }

    private byte[] header(String path, int mode, long size, char type, String linkTarget) throws IOException {
        if (size > MAX_SIZE) {
            throw new IOException(path + " is too large for a ustar archive");
        }
        byte[] h = new byte[BLOCK];
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length <= 100) {
            put(h, 0, 100, name);
        } else {
            // Split at a '/' so that the prefix (155) and name (100) fields both fit.
            int cut = -1;
            for (int i = path.indexOf('/'); i > 0 && cut < 0; i = path.indexOf('/', i + 1)) {
                if (utf8(path.substring(i + 1)).length <= 100 && utf8(path.substring(0, i)).length <= 155
                        && i < path.length() - 1) {
                    cut = i;
                }
            }
            if (cut < 0) {
                throw new IOException("path too long for a ustar archive: " + path);
            }
            put(h, 0, 100, utf8(path.substring(cut + 1)));
            put(h, 345, 155, utf8(path.substring(0, cut)));
        }
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, 0);            // uid
        octal(h, 116, 8, 0);            // gid
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        byte[] link = linkTarget.getBytes(StandardCharsets.UTF_8);
        if (link.length > 100) {
            throw new IOException("symbolic link target too long for a ustar archive: " + linkTarget);
        }
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(h, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
        put(h, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
        octal(h, 329, 8, 0);            // devmajor
        octal(h, 337, 8, 0);            // devminor
        // The checksum is computed with its own field as eight spaces, then written as 6 digits, NUL, space.
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII));
        return h;
    }

    /** A zero-padded octal number filling the field, NUL-terminated. */
    private static void octal(byte[] h, int offset, int length, long value) {
        String digits = String.format("%0" + (length - 1) + "o", value);
        put(h, offset, length, (digits + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void put(byte[] h, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, h, offset, Math.min(length, value.length));
    }
}
