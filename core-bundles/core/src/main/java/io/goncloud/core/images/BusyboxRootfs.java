package io.goncloud.core.images;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal Linux root file system as a tar archive, made from the host's static busybox (Debian's
 * busybox-static): {@code /bin/busybox} and a symlink per applet at its usual place
 * ({@code busybox --list-full}: bin, sbin, usr/bin, usr/sbin), {@code /sbin/init} (a shell script: stops on
 * TERM, waits for eth0, runs user data scripts, then idles), {@code /etc/passwd}, {@code /etc/group},
 * {@code /etc/profile} and the usual empty directories. A docker-rootfs image: the compute driver boots
 * its {@code /sbin/init}.
 */
public final class BusyboxRootfs {

    public static final Path DEFAULT_BUSYBOX = Path.of("/bin/busybox");

    private static final Pattern VERSION = Pattern.compile("BusyBox v(\\S+)");
    private static final int PT_INTERP = 3;

    private final Path busybox;

    public BusyboxRootfs(Path busybox) {
        this.busybox = busybox;
    }

    public Path busybox() {
        return busybox;
    }

    /** The busybox version, e.g. "1.35.0", from the first line of {@code busybox --help}. */
    public String version() throws IOException {
        String help = run("--help");
        Matcher m = VERSION.matcher(help.lines().findFirst().orElse(""));
        return m.find() ? m.group(1) : "unknown";
    }

    /**
     * Writes the root file system to {@code tar}.
     *
     * @throws IllegalStateException if busybox is not statically linked (it could not run alone in the image)
     * @throws IOException           if busybox is missing or cannot run, or the file cannot be written
     */
    public void writeTo(Path tar) throws IOException {
        if (!isStaticallyLinked(busybox)) {
            throw new IllegalStateException(busybox + " is dynamically linked (its ELF file names a program "
                    + "interpreter), so it cannot run alone in an image; install Debian's busybox-static, whose "
                    + "/bin/busybox is static");
        }
        List<String> applets = run("--list-full").lines().map(String::trim)
                // /sbin/init is ours; linuxrc is for initrds.
                .filter(a -> !a.isEmpty() && !a.equals("sbin/init") && !a.equals("linuxrc") && !a.equals("bin/busybox"))
                .distinct().toList();
        Set<String> directories = new TreeSet<>(List.of("bin", "dev", "etc", "proc", "run", "sbin", "sys", "usr",
                "usr/bin", "usr/sbin", "var", "var/lib", "var/lib/gcp", "var/log"));
        for (String applet : applets) {
            for (Path p = Path.of(applet).getParent(); p != null; p = p.getParent()) {
                directories.add(p.toString());
            }
        }
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tar));
             UstarWriter out = new UstarWriter(file)) {
            // Parents before children (the set is sorted), so every entry's directory exists when unpacked.
            for (String dir : directories) {
                out.directory(dir, 0755);
            }
            out.directory("root", 0700);
            out.directory("tmp", 01777);
            out.file("bin/busybox", 0755, busybox);
            for (String applet : applets) {
                out.symlink(applet, linkToBusybox(applet));
            }
            out.file("sbin/init", 0755, resource("init.sh"));
            out.file("etc/passwd", 0644, utf8("root:x:0:0:root:/root:/bin/sh\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"));
            out.file("etc/group", 0644, utf8("root:x:0:\nnogroup:x:65534:\n"));
            out.file("etc/profile", 0644, utf8("export PATH=/usr/sbin:/usr/bin:/sbin:/bin\n"
                    + "export PS1='\\h:\\w\\$ '\numask 022\n"));
        }
    }

    /** Relative, so the link holds wherever the tree is unpacked: "busybox" in bin, "../../bin/busybox" in usr/bin. */
    static String linkToBusybox(String applet) {
        int depth = applet.split("/").length - 1;
        return applet.startsWith("bin/") && depth == 1 ? "busybox" : "../".repeat(depth) + "bin/busybox";
    }

    /** Whether an ELF executable has no program interpreter (PT_INTERP): static, or static-pie. */
    static boolean isStaticallyLinked(Path elf) throws IOException {
        try (FileChannel ch = FileChannel.open(elf)) {
            ByteBuffer h = read(ch, 0, 64);
            if (h.getInt(0) != 0x7f454c46) {
                throw new IOException(elf + " is not an ELF executable");
            }
            boolean is64 = h.get(4) == 2;
            ByteOrder order = h.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            h.order(order);
            long phoff = is64 ? h.getLong(32) : Integer.toUnsignedLong(h.getInt(28));
            int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 54 : 42));
            int phnum = Short.toUnsignedInt(h.getShort(is64 ? 56 : 44));
            for (int i = 0; i < phnum; i++) {
                if (read(ch, phoff + (long) i * phentsize, 4).order(order).getInt(0) == PT_INTERP) {
                    return false;
                }
            }
            return true;
        }
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("truncated ELF file");
            }
        }
        return b.flip();
    }

    private String run(String option) throws IOException {
        Process p = new ProcessBuilder(busybox.toString(), option).redirectErrorStream(true).start();
        try (InputStream in = p.getInputStream()) {
            String output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(busybox + " " + option + " failed: " + output.strip());
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + busybox, e);
        } finally {
            p.destroy();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = BusyboxRootfs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the bundle");
            }
            return in.readAllBytes();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
