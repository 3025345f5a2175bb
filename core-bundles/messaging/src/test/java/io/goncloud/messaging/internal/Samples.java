package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.cluster.WorkerTask;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceStatus;

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
                false, Instant.parse("2026-11-26T10:15:30.123456789Z"));
    }
}
