package io.goncloud.driver.network.common.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names one test suite gives what it creates: namespaces {@code <prefix><pid>-...} and platform ids
 * {@code xxxxxxxx-<marker>-4000-8000-<pid in hex>} (so VPC routers are {@code gcpr-<such an id>}). Each suite
 * has its own prefix or marker, so that leftovers of an interrupted run can be told from a run in progress
 * and each suite removes only what is its own.
 *
 * @param prefix the start of namespace names, followed by the pid (so it must not end in a digit)
 * @param marker the second group of test ids: four hex digits
 */
public record LabNames(String prefix, String marker) {

    /** This JVM's pid: what everything a run creates is named after. */
    public static final long PID = ProcessHandle.current().pid();

    /** A platform id for a VPC, subnet or port of this run: random in the part HostNames uses, the pid at the end. */
    public String id() {
        return String.format("%08x-" + marker + "-4000-8000-%012x", ThreadLocalRandom.current().nextInt(), PID);
    }

    /** The name of a namespace of this run. */
    public String namespace(String tag, String role) {
        return prefix + PID + "-" + tag + "-" + role;
    }

    /** Skips the tests unless this process may make network namespaces (root, and a kernel that allows it). */
    public void assumeNamespacesWork() {
        assumeTrue("root".equals(System.getProperty("user.name")) || NetnsLab.run("id", "-u").strip().equals("0"),
                "needs root: the tests build network namespaces, bridges and veth pairs");
        String probe = prefix + PID + "-probe";
        NetnsLab.Result added = NetnsLab.exec(List.of("ip", "netns", "add", probe));
        NetnsLab.exec(List.of("ip", "netns", "delete", probe));
        assumeTrue(added.ok(), "'ip netns add' is impossible here: " + added.err());
    }

    /** Deletes what interrupted runs left: test namespaces and routers of test VPCs whose JVM is gone. */
    public void removeLeftovers() {
        Pattern testNamespace = Pattern.compile(prefix + "(\\d+)-.*");
        Pattern testId = Pattern.compile("[0-9a-f]{8}-" + marker + "-4000-8000-([0-9a-f]{12})");
        for (String line : NetnsLab.run("ip", "netns", "list").lines().toList()) {
            String name = line.strip().split("\\s+")[0];
            Matcher namespace = testNamespace.matcher(name);
            Matcher router = testId.matcher(name.startsWith("gcpr-") ? name.substring(5) : "");
            boolean stale = namespace.matches() && !alive(Long.parseLong(namespace.group(1)))
                    || router.matches() && !alive(Long.parseLong(router.group(1), 16));
            if (stale) {
                NetnsLab.deleteNamespace(name);
            }
        }
        // Files of dead runs (DHCP state directories, scripts) are named like their namespaces.
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            files.filter(f -> {
                Matcher file = testNamespace.matcher(f.getFileName().toString());
                return file.matches() && !alive(Long.parseLong(file.group(1)));
            }).forEach(NetnsLab::deleteTree);
        } catch (java.io.IOException e) {
            // nothing to sweep
        }
    }

    /** Whether the process {@code pid} (a test JVM, by the names it left) still runs. */
    public static boolean alive(long pid) {
        return Files.exists(Path.of("/proc/" + pid));
    }
}
