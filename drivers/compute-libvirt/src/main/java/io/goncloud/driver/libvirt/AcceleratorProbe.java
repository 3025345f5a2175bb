package io.goncloud.driver.libvirt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decides between KVM and TCG by a real test, not by the presence of {@code /dev/kvm}: a device that
 * exists and opens may still hang ordinary guests (seen: a PVM-only /dev/kvm). The test boots a
 * hand-made 512-byte boot sector that writes {@value #MARKER} to the first serial port and halts, in
 * {@code qemu-system-x86_64 -accel kvm -cpu host} (the CPU the domains get), and requires the marker within the
 * timeout; QEMU is killed otherwise. A guest can still fail where the probe passed: the driver then falls back
 * to TCG ({@link AcceleratorChoice#demote}).
 *
 * @param accelerator {@code kvm} or {@code tcg}
 * @param detail      why, for operators
 */
record AcceleratorProbe(String accelerator, String detail) {

    static final String KVM = "kvm";
    static final String TCG = "tcg";
    static final String MARKER = "GCP-ACCEL-OK";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(AcceleratorProbe.class);

    boolean kvm() {
        return KVM.equals(accelerator);
    }

    /**
     * Real-mode code at 0x7c00: DS=0, SI=message, out each byte to 0x3f8 until NUL, then hlt forever.
     * The message follows the code; the sector ends with the 0x55 0xAA boot signature.
     */
    static byte[] bootSector() {
        byte[] code = {
                (byte) 0xFA,                         // cli
                (byte) 0x31, (byte) 0xC0,            // xor ax, ax
                (byte) 0x8E, (byte) 0xD8,            // mov ds, ax
                (byte) 0xBE, (byte) 0x16, (byte) 0x7C, // mov si, 0x7c16 (the message, offset 22)
                (byte) 0xBA, (byte) 0xF8, (byte) 0x03, // mov dx, 0x3f8 (COM1)
                (byte) 0xAC,                         // l: lodsb
                (byte) 0x84, (byte) 0xC0,            // test al, al
                (byte) 0x74, (byte) 0x03,            // jz done
                (byte) 0xEE,                         // out dx, al
                (byte) 0xEB, (byte) 0xF8,            // jmp l
                (byte) 0xF4,                         // done: hlt
                (byte) 0xEB, (byte) 0xFD,            // jmp done
        };
        byte[] sector = new byte[512];
        System.arraycopy(code, 0, sector, 0, code.length);
        byte[] message = (MARKER + "\r\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(message, 0, sector, code.length, message.length);
        sector[510] = 0x55;
        sector[511] = (byte) 0xAA;
        return sector;
    }

    /** KVM if /dev/kvm opens and the test guest prints its marker under KVM within {@code timeout}; TCG otherwise. */
    static AcceleratorProbe run(String qemu, Duration timeout) {
        Path kvm = Path.of("/dev/kvm");
        if (!Files.exists(kvm)) {
            return new AcceleratorProbe(TCG, "/dev/kvm is absent");
        }
        try (RandomAccessFile f = new RandomAccessFile(kvm.toFile(), "rw")) {
            // opens
        } catch (IOException e) {
            return new AcceleratorProbe(TCG, "/dev/kvm cannot be opened (" + e.getMessage() + ")");
        }
        String result = bootsWith(qemu, KVM, timeout);
        if (result == null) {
            return new AcceleratorProbe(KVM, "a test guest ran under KVM");
        }
        return new AcceleratorProbe(TCG, "/dev/kvm opens but " + result);
    }

    /**
     * Boots the test sector with {@code -accel <accel>}; null if the marker arrived in time, else what
     * went wrong.
     */
    static String bootsWith(String qemu, String accel, Duration timeout) {
        Path dir = null;
        Process process = null;
        try {
            dir = Files.createTempDirectory("gcp-accel-probe");
            Path disk = dir.resolve("boot.img");
            Files.write(disk, bootSector());
            Path serial = dir.resolve("serial.out");
            Files.createFile(serial);
            List<String> argv = new ArrayList<>(List.of(qemu, "-accel", accel, "-machine", "pc", "-m", "16",
                    "-nodefaults", "-display", "none", "-no-user-config", "-serial", "file:" + serial,
                    "-drive", "file=" + disk + ",format=raw,if=ide,index=0,snapshot=on", "-boot", "c"));
            if (KVM.equals(accel)) {
                // The CPU the domains get (host-passthrough): QEMU then sets the host CPU's registers, which a
                // /dev/kvm may refuse ("failed to set MSR 0x10a") while it runs the default CPU model fine.
                argv.addAll(List.of("-cpu", "host"));
            }
            process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("qemu.out").toFile()).redirectInput(new File("/dev/null")).start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (Files.readString(serial, StandardCharsets.ISO_8859_1).contains(MARKER)) {
                    return null;
                }
                if (!process.isAlive()) {
                    return "QEMU exited with " + process.exitValue() + " under -accel " + accel + ": "
                            + tail(dir.resolve("qemu.out"));
                }
                Thread.sleep(50);
            }
            return "a test guest printed nothing within " + timeout.toMillis() + " ms under -accel " + accel
                    + " (QEMU killed)";
        } catch (IOException e) {
            return "the test guest could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    LOG.debug("Cannot remove {}", dir, e);
                }
            }
        }
    }

    private static String tail(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return s.length() > 300 ? s.substring(s.length() - 300) : s;
        } catch (IOException e) {
            return "(no output)";
        }
    }
}
