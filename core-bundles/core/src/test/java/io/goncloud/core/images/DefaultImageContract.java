package io.goncloud.core.images;

import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.ImageEntity;
import io.goncloud.core.testing.TestDatabase;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default image component against a real database (subclasses pick which) and the host's busybox. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DefaultImageContract {

    private static final Path BUSYBOX = BusyboxRootfs.DEFAULT_BUSYBOX;

    private TestDatabase testDb;
    private Database db;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void startDatabase() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(BUSYBOX) && BusyboxRootfs.isStaticallyLinked(BUSYBOX),
                "needs Debian's busybox-static (/bin/busybox, statically linked)");
        testDb = TestDatabase.create(kind());
        db = testDb.database();
    }

    @AfterAll
    void dropDatabase() {
        if (testDb != null) {
            testDb.close();
        }
    }

    @BeforeEach
    void noImages() {
        db.run(em -> em.createNativeQuery("DELETE FROM images").executeUpdate());
    }

    private List<ImageEntity> busyboxImages() {
        return db.inTransaction(em -> em.createQuery("SELECT i FROM ImageEntity i WHERE i.name = 'busybox'",
                ImageEntity.class).getResultList());
    }

    private void activate(Path store) {
        new DefaultImageComponent(db, store, true, BUSYBOX);
    }

    @Test
    void aFreshInstallGetsThePublicBusyboxImage(@TempDir Path store) throws IOException {
        activate(store);

        List<ImageEntity> images = busyboxImages();
        assertEquals(1, images.size());
        ImageEntity image = images.get(0);
        Path file = store.resolve(image.id + ".tar").toAbsolutePath();
        assertEquals(file.toString(), image.location);
        assertEquals(Files.size(file), image.size);
        assertEquals("docker-rootfs", image.format);
        assertEquals("linux", image.os);
        assertTrue(image.isPublic);
        assertNull(image.userId);
        assertTrue(image.version.matches("\\d+\\.\\d+(\\.\\d+)?\\S*"), image.version);
        assertEquals(new BusyboxRootfs(BUSYBOX).version(), image.version);
        assertEquals(DefaultImageComponent.architecture(System.getProperty("os.arch")), image.architecture);
        assertTrue(List.of("x86_64", "aarch64").contains(image.architecture), image.architecture);
        assertTrue(image.description.contains(image.version), image.description);
        try (var files = Files.list(store)) {
            assertEquals(List.of(file), files.toList(), "no partial file is left");
        }
    }

    @Test
    void theTarballHoldsBusyboxItsAppletsInitAndTheBasicFiles(@TempDir Path store) throws IOException {
        activate(store);
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        List<String> orphans = new ArrayList<>();
        try (InputStream in = Files.newInputStream(Path.of(busyboxImages().get(0).location));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName().replaceAll("/$", "");
                String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : null;
                if (parent != null && !entries.containsKey(parent)) {
                    orphans.add(name);
                }
                entries.put(name, e);
                if (e.isFile() && !name.equals("bin/busybox")) {
                    texts.put(name, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(List.of(), orphans, "every entry comes after its directory");
        assertTrue(entries.values().stream().allMatch(e -> e.getLongUserId() == 0 && e.getLongGroupId() == 0));

        TarArchiveEntry busybox = entries.get("bin/busybox");
        assertTrue(busybox.isFile());
        assertEquals(0755, busybox.getMode() & 07777);
        assertEquals(Files.size(BUSYBOX), busybox.getSize());

        TarArchiveEntry init = entries.get("sbin/init");
        assertTrue(init.isFile(), "sbin/init is the script, not busybox's init applet");
        assertEquals(0755, init.getMode() & 07777);
        String script = texts.get("sbin/init");
        assertTrue(script.startsWith("#!/bin/sh\n") && script.contains("trap ") && script.contains("gcp-init: ready")
                && script.contains("/var/lib/gcp/user-data") && script.contains("/var/log/user-data.log"), script);

        assertEquals("busybox", entries.get("bin/sh").getLinkName());
        assertTrue(entries.get("bin/sh").isSymbolicLink());
        assertEquals("../../bin/busybox", entries.get("usr/bin/env").getLinkName());
        assertEquals("../bin/busybox", entries.get("sbin/ifconfig").getLinkName());
        long applets = entries.values().stream().filter(TarArchiveEntry::isSymbolicLink).count();
        assertTrue(applets > 100, applets + " applets");

        assertEquals(0700, entries.get("root").getMode() & 07777);
        assertEquals(01777, entries.get("tmp").getMode() & 07777);
        for (String dir : List.of("proc", "sys", "dev", "run", "var/lib/gcp", "var/log", "etc")) {
            assertTrue(entries.get(dir).isDirectory(), dir);
        }
        assertTrue(texts.get("etc/passwd").startsWith("root:x:0:0:root:/root:/bin/sh\n"));
        assertTrue(texts.get("etc/group").startsWith("root:x:0:\n"));
        assertTrue(texts.get("etc/profile").contains("PATH="));
    }

    @Test
    void aSecondActivationChangesNothing(@TempDir Path store) throws IOException {
        activate(store);
        ImageEntity first = busyboxImages().get(0);
        Path file = Path.of(first.location);
        FileTime written = Files.getLastModifiedTime(file);

        activate(store);

        List<ImageEntity> images = busyboxImages();
        assertEquals(1, images.size());
        assertEquals(first.id, images.get(0).id);
        assertEquals(written, Files.getLastModifiedTime(file));
    }

    @Test
    void aMissingFileIsRebuiltInPlace(@TempDir Path store) throws IOException {
        activate(store);
        ImageEntity image = busyboxImages().get(0);
        Path file = Path.of(image.location);
        Files.delete(file);

        activate(store);

        List<ImageEntity> images = busyboxImages();
        assertEquals(1, images.size());
        assertEquals(image.id, images.get(0).id);
        assertEquals(image.location, images.get(0).location);
        assertTrue(Files.isRegularFile(file));
        assertEquals(Files.size(file), images.get(0).size);
    }

    @Test
    void anotherPublicBusyboxImageIsLeftAlone(@TempDir Path store) {
        ImageEntity operators = new ImageEntity();
        operators.id = Database.newId();
        operators.name = "busybox";
        operators.os = "linux";
        operators.version = "1.36";
        operators.architecture = "x86_64";
        operators.format = "docker-rootfs";
        operators.location = "gcp-test/busybox:latest"; // a local tag, not a tarball here
        operators.isPublic = true;
        operators.createdAt = Database.now();
        db.run(em -> em.persist(operators));

        activate(store);

        assertEquals(List.of(operators.id), busyboxImages().stream().map(i -> i.id).toList());
        assertFalse(Files.exists(store.resolve(operators.id + ".tar")));
    }

    @Test
    void withoutBusyboxOrWhenDisabledNothingHappens(@TempDir Path store) {
        new DefaultImageComponent(db, store, true, store.resolve("no-such-busybox"));
        new DefaultImageComponent(db, store, false, BUSYBOX);
        assertEquals(List.of(), busyboxImages());
    }

    @Test
    void aDynamicallyLinkedBusyboxIsRefusedClearly(@TempDir Path store) throws IOException {
        Path dynamic = Path.of("/bin/ls");
        Assumptions.assumeFalse(BusyboxRootfs.isStaticallyLinked(dynamic), "/bin/ls is static here");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new BusyboxRootfs(dynamic).writeTo(store.resolve("x.tar")));
        assertTrue(e.getMessage().startsWith("/bin/ls is dynamically linked") && e.getMessage().contains("busybox-static"),
                e.getMessage());

        new DefaultImageComponent(db, store, true, dynamic); // logs a warning, creates nothing
        assertEquals(List.of(), busyboxImages());
    }

    // --- the virtual machine image busybox-vm -------------------------------------------------------------------

    private List<ImageEntity> vmImages() {
        return db.inTransaction(em -> em.createQuery("SELECT i FROM ImageEntity i WHERE i.name = 'busybox-vm'",
                ImageEntity.class).getResultList());
    }

    /** A stand-in for the built qcow2 file: the qcow2 magic and some bytes. */
    private static Path fakeQcow2(Path dir, String name, String content) throws IOException {
        Path file = dir.resolve(name);
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[4 + body.length];
        bytes[0] = 'Q';
        bytes[1] = 'F';
        bytes[2] = 'I';
        bytes[3] = (byte) 0xfb;
        System.arraycopy(body, 0, bytes, 4, body.length);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void theBuiltVmImageIsCopiedIntoTheStoreAsThePublicImageBusyboxVm(@TempDir Path store, @TempDir Path build)
            throws IOException {
        Path built = fakeQcow2(build, "busybox-vm.qcow2", "first build");

        new DefaultImageComponent(db, store, true, BUSYBOX, built);

        List<ImageEntity> images = vmImages();
        assertEquals(1, images.size());
        ImageEntity image = images.get(0);
        Path file = store.resolve(image.id + ".qcow2").toAbsolutePath();
        assertEquals(file.toString(), image.location, "a copy in the store, never the build path");
        assertEquals(Files.size(built), image.size);
        assertEquals(Files.size(file), image.size);
        assertEquals(List.of(), mismatch(built, file));
        assertEquals("qcow2", image.format);
        assertEquals("linux", image.os);
        assertTrue(image.isPublic);
        assertNull(image.userId);
        assertTrue(image.version.matches("\\d{8}"), image.version);
        assertEquals(DefaultImageComponent.architecture(System.getProperty("os.arch")), image.architecture);
        assertTrue(image.description.contains("BusyBox") && image.description.contains("Debian kernel")
                && image.description.contains("128 MiB"), image.description);
        assertEquals(1, busyboxImages().size(), "the container image is still provided");
        try (var files = Files.list(store)) {
            assertEquals(0, files.filter(f -> f.toString().endsWith(".partial")).count(), "no partial file is left");
        }

        // The builder replaces its file by rename: the store's copy is not affected.
        Path rebuilt = fakeQcow2(build, "busybox-vm.qcow2.new", "second build, longer");
        Files.move(rebuilt, built, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(List.of(), mismatch(fakeQcow2(build, "expected", "first build"), file));
    }

    @Test
    void anExistingVmImageFileIsNeverRewritten(@TempDir Path store, @TempDir Path build) throws IOException {
        Path built = fakeQcow2(build, "busybox-vm.qcow2", "first build");
        new DefaultImageComponent(db, store, true, BUSYBOX, built);
        ImageEntity first = vmImages().get(0);
        Path file = Path.of(first.location);
        FileTime written = Files.getLastModifiedTime(file);
        fakeQcow2(build, "busybox-vm.qcow2", "a newer build that overlays of running VMs must not see");

        new DefaultImageComponent(db, store, true, BUSYBOX, built);

        assertEquals(List.of(first.id), vmImages().stream().map(i -> i.id).toList());
        assertEquals(written, Files.getLastModifiedTime(file));
        assertEquals(List.of(), mismatch(fakeQcow2(build, "expected", "first build"), file));
    }

    @Test
    void aMissingVmImageFileIsCopiedAgain(@TempDir Path store, @TempDir Path build) throws IOException {
        Path built = fakeQcow2(build, "busybox-vm.qcow2", "first build");
        new DefaultImageComponent(db, store, true, BUSYBOX, built);
        ImageEntity image = vmImages().get(0);
        Path file = Path.of(image.location);
        Files.delete(file);
        fakeQcow2(build, "busybox-vm.qcow2", "the current build");

        new DefaultImageComponent(db, store, true, BUSYBOX, built);

        List<ImageEntity> images = vmImages();
        assertEquals(1, images.size());
        assertEquals(image.id, images.get(0).id);
        assertEquals(image.location, images.get(0).location);
        assertEquals(List.of(), mismatch(built, file));
        assertEquals(Files.size(file), images.get(0).size);
    }

    @Test
    void withoutABuiltQcow2FileOrWhenDisabledThereIsNoVmImage(@TempDir Path store, @TempDir Path build)
            throws IOException {
        new DefaultImageComponent(db, store, true, BUSYBOX, build.resolve("busybox-vm.qcow2")); // missing: logged
        Path notQcow2 = build.resolve("not.qcow2");
        Files.writeString(notQcow2, "QFI but not the magic");
        new DefaultImageComponent(db, store, true, BUSYBOX, notQcow2);
        new DefaultImageComponent(db, store, true, BUSYBOX, DefaultImageComponent.vmImageFile(" "));
        assertEquals(List.of(), vmImages());
        assertEquals(1, busyboxImages().size(), "the container image does not depend on the VM image");
        try (var files = Files.list(store)) {
            assertEquals(0, files.filter(f -> f.toString().contains(".qcow2")).count());
        }
        assertNull(DefaultImageComponent.vmImageFile(""));
        assertEquals(Path.of("/var/lib/gcp/vm-image/busybox-vm.qcow2"),
                DefaultImageComponent.vmImageFile(DefaultImageComponent.DEFAULT_VM_IMAGE_FILE));
    }

    @Test
    void anotherPublicBusyboxVmImageIsLeftAlone(@TempDir Path store, @TempDir Path build) throws IOException {
        ImageEntity operators = new ImageEntity();
        operators.id = Database.newId();
        operators.name = "busybox-vm";
        operators.os = "linux";
        operators.version = "1";
        operators.architecture = "x86_64";
        operators.format = "raw";
        operators.location = build.resolve("operators-missing.img").toString();
        operators.isPublic = true;
        operators.size = 1;
        operators.createdAt = Database.now();
        db.run(em -> em.persist(operators));

        new DefaultImageComponent(db, store, true, BUSYBOX, fakeQcow2(build, "busybox-vm.qcow2", "build"));

        assertEquals(List.of(operators.id), vmImages().stream().map(i -> i.id).toList());
        assertFalse(Files.exists(Path.of(operators.location)));
    }

    /** Empty when both files hold the same bytes. */
    private static List<String> mismatch(Path expected, Path actual) throws IOException {
        long at = Files.mismatch(expected, actual);
        return at < 0 ? List.of() : List.of(actual + " differs from " + expected + " at byte " + at);
    }

    @Test
    void storeDirExpandsKarafData() {
        String before = System.getProperty("karaf.data");
        System.setProperty("karaf.data", "/srv/karaf/data");
        try {
            assertEquals(Path.of("/srv/karaf/data/gcp/images"), DefaultImageComponent.storeDir(""));
            assertEquals(Path.of("/srv/karaf/data/gcp/images"),
                    DefaultImageComponent.storeDir(DefaultImageComponent.DEFAULT_STORE_DIR));
            assertEquals(Path.of("/var/lib/gcp/images"), DefaultImageComponent.storeDir("/var/lib/gcp/images"));
        } finally {
            if (before == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", before);
            }
        }
    }
}
