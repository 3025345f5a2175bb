package io.goncloud.driver.nftables;

import io.goncloud.driver.network.common.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A network namespace to run commands in: a named one, or the driver's own when the name is null. */
record Namespace(String name) {

    static Namespace own() {
        return new Namespace(null);
    }

    String describe() {
        return name == null ? "the host namespace" : "namespace " + name;
    }

    Exec.Result run(List<String> command, String stdin) {
        List<String> full = new ArrayList<>();
        if (name != null) {
            full.addAll(List.of("ip", "netns", "exec", name));
        }
        full.addAll(command);
        return Exec.run(full, stdin);
    }

    /**
     * What tells this namespace from an earlier one of the same name (its inode), or "" when unknown; a
     * router deleted and recreated by the network driver starts with empty tables.
     */
    String identity() {
        try {
            Path path = name == null ? Path.of("/proc/self/ns/net") : Path.of("/run/netns", name);
            return String.valueOf(Files.getAttribute(path, "unix:ino"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "";
        }
    }

    /** Names of every named network namespace. */
    static Set<String> list() {
        Set<String> names = new TreeSet<>();
        for (String line : Exec.run(List.of("ip", "netns", "list"), null).orThrow().lines().toList()) {
            if (!line.isBlank()) {
                names.add(line.strip().split("\\s+")[0]); // "name (id: 3)"
            }
        }
        return names;
    }
}
