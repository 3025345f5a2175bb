package io.goncloud.driver.linuxbridge;

import static io.goncloud.driver.network.common.testing.NetnsLab.run;
import static io.goncloud.driver.network.common.testing.NetnsLab.sh;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.HealthReport;
import io.goncloud.driver.network.common.testing.DriverHost;
import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.network.common.testing.NetnsLab;
import io.goncloud.driver.network.common.testing.NetworkDriverScenarios;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The driver against the real kernel: the scenarios every network driver must pass
 * ({@link NetworkDriverScenarios}), and its probe. Names: namespaces {@code gcpt<pid>-...}, platform ids
 * {@code ...-7e57-4000-8000-<pid>}; its leftovers are removed only by a suite of these names.
 */
class LinuxBridgeNetworkDriverTest extends NetworkDriverScenarios<DriverHost> {

    LinuxBridgeNetworkDriverTest() {
        super(new LabNames("gcpt", "7e57"), new LinuxBridgeFactory());
    }

    @Test
    void probeFindsBridgesAndNamespacesUsableAndSweepsWhatInterruptedProbesLeft() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String leftover = "gcpprobe-" + gone.pid() + "-" + names.marker();
        String running = "gcpprobe-" + ProcessHandle.current().pid() + "-" + names.marker();
        sh("ip", "netns", "add", leftover);
        sh("ip", "netns", "add", running);
        HealthReport report;
        try {
            report = driver.probe();
            String namespaces = run("ip", "netns", "list");
            assertFalse(namespaces.contains(leftover), "the namespace of a probe whose process is gone");
            assertTrue(namespaces.contains(running), "a recent probe's namespace, its process alive");
            assertFalse(namespaces.matches("(?s).*gcpprobe-" + ProcessHandle.current().pid() + "-(?!"
                    + names.marker() + ").*"), "the probe deleted its own namespace");
        } finally {
            NetnsLab.exec(List.of("ip", "netns", "delete", leftover));
            NetnsLab.exec(List.of("ip", "netns", "delete", running));
        }
        assertTrue(report.usable(), report.detail());
        assertTrue(report.detail().contains("bridges and namespaces work"), report.detail());
        assertTrue(report.detail().contains("Dnsmasq version"), report.detail());
    }
}
