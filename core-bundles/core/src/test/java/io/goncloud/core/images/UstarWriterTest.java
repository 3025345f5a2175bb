package io.goncloud.core.images;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UstarWriterTest {

    @Test
    void writesWhatAnIndependentReaderReadsBack() throws IOException {
        String deep = "a/" + "d".repeat(90) + "/" + "f".repeat(99); // over 100 bytes: split into prefix and name
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (UstarWriter tar = new UstarWriter(bytes)) {
            tar.directory("tmp", 01777);
            tar.file(deep, 0600, "x".repeat(513).getBytes(StandardCharsets.UTF_8));
            tar.symlink("bin/sh", "busybox");
        }
        assertEquals(0, bytes.size() % 512);

        List<TarArchiveEntry> entries = new ArrayList<>();
        String content;
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            entries.add(in.getNextEntry());
            entries.add(in.getNextEntry());
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            entries.add(in.getNextEntry());
            assertEquals(null, in.getNextEntry());
        }
        assertTrue(entries.get(0).isDirectory());
        assertEquals("tmp/", entries.get(0).getName());
        assertEquals(01777, entries.get(0).getMode() & 07777);
        assertEquals(deep, entries.get(1).getName());
        assertEquals(0600, entries.get(1).getMode() & 07777);
        assertEquals("x".repeat(513), content);
        assertTrue(entries.get(2).isSymbolicLink());
        assertEquals("busybox", entries.get(2).getLinkName());
        assertEquals("root", entries.get(2).getUserName());
    }

    @Test
    void refusesANameThatCannotFit() {
        UstarWriter tar = new UstarWriter(new ByteArrayOutputStream());
        assertThrows(IOException.class, () -> tar.file("x".repeat(101), 0644, new byte[0]));
    }
}
