package io.goncloud.agent;

import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceStatus;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A compute driver confined to the test's own instances. The real drivers see every platform instance on the
 * machine's dockerd and libvirtd, including those of another platform or test running there; the test's
 * controller would take those for orphans (no row in its database) and have them terminated. Instances launched
 * or prepared through this driver are the test's; it sees nothing else.
 */
final class ScopedComputeDriver implements ComputeDriver {

    private final ComputeDriver driver;
    private final Set<String> owned;

    ScopedComputeDriver(ComputeDriver driver, Set<String> owned) {
        this.driver = driver;
        this.owned = owned;
    }

    ComputeDriver unwrap() {
        return driver;
    }

    private String own(String instanceId) {
        owned.add(instanceId);
        return instanceId;
    }

    private void mine(String instanceId) {
        if (!owned.contains(instanceId)) {
            throw new IllegalStateException("instance " + instanceId + " is not this test's");
        }
    }

    public DriverInfo info() { return driver.info(); }
    public HealthReport probe() { return driver.probe(); }

    public void prepare(InstanceSpec spec) {
        own(spec.instanceId());
        driver.prepare(spec);
    }

    public InstanceStatus launch(InstanceSpec spec) {
        own(spec.instanceId());
        return driver.launch(spec);
    }

    public InstanceStatus start(InstanceSpec spec) {
        own(spec.instanceId());
        return driver.start(spec);
    }

    public InstanceStatus reboot(InstanceSpec spec, Duration grace) {
        own(spec.instanceId());
        return driver.reboot(spec, grace);
    }

    public InstanceStatus stop(String instanceId, Duration grace) {
        mine(instanceId);
        return driver.stop(instanceId, grace);
    }

    public void destroy(String instanceId) {
        if (owned.contains(instanceId)) {
            driver.destroy(instanceId);
        }
    }

    public Optional<InstanceStatus> inspect(String instanceId) {
        return owned.contains(instanceId) ? driver.inspect(instanceId) : Optional.empty();
    }

    public List<InstanceStatus> list() {
        return driver.list().stream().filter(s -> owned.contains(s.instanceId())).toList();
    }

    public String consoleOutput(String instanceId, int maxBytes) {
        mine(instanceId);
        return driver.consoleOutput(instanceId, maxBytes);
    }

    public void attachVolume(String instanceId, io.goncloud.api.spi.storage.AttachHandle handle, String target) {
        mine(instanceId);
        driver.attachVolume(instanceId, handle, target);
    }

    public void detachVolume(String instanceId, String volumeId, String target) {
        mine(instanceId);
        driver.detachVolume(instanceId, volumeId, target);
    }
}
