package io.goncloud.driver.ovs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.network.common.testing.NetnsLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An Open vSwitch of a test host's own: ovsdb-server with a fresh database and ovs-vswitchd running inside
 * the host namespace, both with their files (database, sockets, pid files, logs) in a directory named
 * after the host namespace. Nothing of the machine's own Open vSwitch (if any) is used or touched, and
 * the tests need no system-wide daemon: only the openvswitch-switch package.
 *
 * <p>What the tests run, per host ({@code D} the directory, {@code H} the host namespace):
 * <pre>
 * ovsdb-tool create D/conf.db /usr/share/openvswitch/vswitch.ovsschema
 * ovsdb-server D/conf.db --remote=punix:D/db.sock --pidfile=D/ovsdb-server.pid \
 *     --unixctl=D/ovsdb-server.ctl --log-file=D/ovsdb-server.log --detach
 * ovs-vsctl --db=unix:D/db.sock --no-wait init -- set Open_vSwitch . other_config:userspace-tso-enable=true
 * OVS_RUNDIR=D ip netns exec H ovs-vswitchd unix:D/db.sock --pidfile=D/ovs-vswitchd.pid \
 *     --unixctl=D/ovs-vswitchd.ctl --log-file=D/ovs-vswitchd.log --detach
 * </pre>
 */
final class OvsDaemons {

    static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"));

    final String host;
    final Path dir;

    private OvsDaemons(String host, Path dir) {
        this.host = host;
        this.dir = dir;
    }

    /** Whether Open vSwitch is installed (the tests are skipped otherwise). */
    static boolean installed() {
        return Files.exists(Path.of(SCHEMA)) && Lab.exec(List.of("ovs-vswitchd", "--version")).ok();
    }

    static OvsDaemons start(String host) {
        Path dir = ROOT.resolve(host + "-ovs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
        OvsDaemons daemons = new OvsDaemons(host, dir);
        Lab.sh("ovsdb-tool", "create", dir.resolve("conf.db").toString(), SCHEMA);
        Lab.sh("ovsdb-server", dir.resolve("conf.db").toString(), "--remote=punix:" + dir.resolve("db.sock"),
                "--pidfile=" + dir.resolve("ovsdb-server.pid"), "--unixctl=" + dir.resolve("ovsdb-server.ctl"),
                "--log-file=" + dir.resolve("ovsdb-server.log"), "--detach");
        daemons.vsctl("--no-wait", "init", "--", "set", "Open_vSwitch", ".",
                "other_config:userspace-tso-enable=true");
        daemons.startSwitch();
        return daemons;
    }

    /** ovs-vswitchd, in the host namespace: it opens the ports there and makes its taps there. */
    void startSwitch() {
        Lab.sh("env", "OVS_RUNDIR=" + dir, "ip", "netns", "exec", host, "ovs-vswitchd", "unix:" + dir.resolve("db.sock"),
                "--pidfile=" + dir.resolve("ovs-vswitchd.pid"), "--unixctl=" + dir.resolve("ovs-vswitchd.ctl"),
                "--log-file=" + dir.resolve("ovs-vswitchd.log"), "--detach");
    }

    void stopSwitch() {
        stop(dir.resolve("ovs-vswitchd.pid"));
    }

    /** The remote the driver is configured with. */
    String remote() {
        return "unix:" + dir.resolve("db.sock");
    }

    /** Runs ovs-vsctl against this database; it must succeed. */
    String vsctl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=" + remote(), "--timeout=10"));
        command.addAll(List.of(arguments));
        NetnsLab.Result result = Lab.exec(command);
        assertEquals(0, result.exit(), () -> String.join(" ", command) + ": " + result.err());
        return result.out();
    }

    void stop() {
        stopSwitch();
        stop(dir.resolve("ovsdb-server.pid"));
        delete(dir);
    }

    /** Stops the daemons and removes the directories of test JVMs that are gone (of {@link Lab}'s names). */
    static void removeLeftovers() {
        removeLeftovers(Lab.NAMES);
    }

    /** Stops the daemons and removes the directories of test JVMs of a suite's names that are gone. */
    static void removeLeftovers(LabNames names) {
        Pattern directory = Pattern.compile(names.prefix() + "(\\d+)-.*-ovs");
        try (Stream<Path> entries = Files.list(ROOT)) {
            for (Path dir : entries.toList()) {
                Matcher name = directory.matcher(dir.getFileName().toString());
                if (name.matches() && !LabNames.alive(Long.parseLong(name.group(1)))) {
                    stop(dir.resolve("ovs-vswitchd.pid"));
                    stop(dir.resolve("ovsdb-server.pid"));
                    delete(dir);
                }
            }
        } catch (IOException e) {
            // nothing to clean
        }
    }

    /** Ends the daemon of a pid file, if it is still the daemon started with files in that directory. */
    private static void stop(Path pidFile) {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            return;
        }
        String cmdline;
        try {
            cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
        } catch (IOException e) {
            return; // gone already
        }
        if (!cmdline.contains(pidFile.getParent().toString())) {
            return; // the pid has been reused by something else
        }
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroy();
            try {
                process.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        });
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // best effort: a later run removes it
        }
    }
}
