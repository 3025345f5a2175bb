package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.HostState;
import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.cluster.WorkerTask;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.HostNetwork;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Tasks and reports with every field set. */
final class Samples {

    private Samples() {
    }

    static WorkerTask launch(String taskId, String instanceId) {
        InstanceSpec spec = new InstanceSpec(instanceId,
                new InstanceSpec.ImageRef("img-1", "docker-rootfs", "gcp/busybox:1"),
                2, 512, 8,
                List.of(new InstanceSpec.NicSpec("02:00:0a:00:01:05", "10.0.1.5", 24, "10.0.1.1", "gcpv-1a2b3c"),
                        new InstanceSpec.NicSpec("02:00:0a:00:02:07", "10.0.2.7", 28, "10.0.2.1", "gcpv-4d5e6f")),
                "#!/bin/sh\necho \"hello\" > /tmp/motd\n",
                List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJx alice@example.com"),
                Map.of("owner", "alice", "tier", "web"));
        return new WorkerTask(taskId, instanceId, WorkerTask.Action.LAUNCH, spec);
    }

    static WorkerTask terminate(String taskId, String instanceId) {
        return new WorkerTask(taskId, instanceId, WorkerTask.Action.TERMINATE, null);
    }

    static WorkerReport report(String hostId) {
        return new WorkerReport(hostId, "192.0.2.10", new WorkerReport.Capacity(16, 32_768, 500),
                List.of("compute:docker", "image-format:docker-rootfs"),
                List.of(new WorkerReport.InstanceReport("i-1",
                                new InstanceStatus("i-1", InstanceStatus.PowerState.RUNNING, "up 3 s"), "t-1", null),
                        new WorkerReport.InstanceReport("i-2", null, "t-2", "no such image: gcp/busybox:1")),
                false, Instant.parse("2026-11-26T10:15:30.123456789Z"), "10.99.0.2");
    }

    /** A worker's network state with every field set; {@code ports} instances in one subnet spanning hosts. */
    static HostState hostState(String hostId, int ports) {
        List<HostNetwork.Port> portList = new java.util.ArrayList<>();
        List<FirewallPolicy.PortPolicy> policies = new java.util.ArrayList<>();
        for (int i = 0; i < ports; i++) {
            String ip = "10.0.1." + (4 + i);
            portList.add(new HostNetwork.Port("i-" + i, "i-" + i, "02:00:00:00:00:0" + i, ip));
            policies.add(new FirewallPolicy.PortPolicy("i-" + i, ip, List.of(new FirewallPolicy.Rule(
                    FirewallPolicy.Direction.INBOUND, "tcp", 22, 22, List.of("0.0.0.0/0")))));
        }
        HostNetwork network = new HostNetwork(null, List.of(new HostNetwork.VpcNetwork("vpc-1", "10.0.0.0/16",
                List.of(new HostNetwork.SubnetNetwork("subnet-1", "10.0.1.0/24", "10.0.1.1", portList, 4097,
                        List.of("10.99.0.1", "10.99.0.3"))), List.of(), null, List.of(), false)),
                new HostNetwork.Overlay("10.99.0.2", 1550));
        return HostState.of(hostId, network, new FirewallPolicy(policies, List.of(new FirewallPolicy.SubnetAcl("vpc-1",
                "subnet-1", "10.0.1.0/24", List.of(new FirewallPolicy.AclEntry(100, FirewallPolicy.Direction.OUTBOUND,
                        "all", 0, 65535, "0.0.0.0/0", true))))), Instant.parse("2026-12-07T21:00:00Z"));
    }
}
