package io.goncloud.agent;

import io.goncloud.api.cluster.ReportSender;
import io.goncloud.api.cluster.TaskHandler;
import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.cluster.WorkerTask;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The worker's instance agent, in the manner of CloudStack's agent handlers: it executes the controller's
 * tasks through the host's compute drivers and reports what it then observes; every few seconds it sends a
 * heartbeat with the host's capacity, its drivers' capabilities and the full inventory of instances, from
 * which the controller finds the missing and the orphaned. Tasks are idempotent, so a redelivered task is
 * harmless.
 */
@Component(immediate = true, service = {TaskHandler.class, InstanceAgent.class}, configurationPid = "io.goncloud.agent",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class InstanceAgent implements TaskHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceAgent.class);
    private static final Duration NETWORK_WAIT = Duration.ofSeconds(30);

    private final List<ComputeDriver> drivers = new CopyOnWriteArrayList<>();
    private final DriverHealth health = new DriverHealth(Duration.ofSeconds(30));
    private final NetworkAgent network;
    private final WorkerConfig config;
    private final String hostId;
    private final ScheduledExecutorService heartbeats;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ReportSender reports;
    private volatile boolean heartbeatFailing;

    @Activate
    public InstanceAgent(@Reference NetworkAgent network, WorkerConfig config) {
        this.network = network;
        this.config = config;
        this.hostId = HostIdentity.of(config.host_id());
        if (config.instances_enabled()) {
            heartbeats = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "gcp-worker-heartbeat"));
            heartbeats.scheduleWithFixedDelay(this::heartbeatQuietly, 0, Math.max(1, config.heartbeat_seconds()),
                    TimeUnit.SECONDS);
        } else {
            heartbeats = null;
            LOG.info("This host runs no instances (io.goncloud.agent instances.enabled=false)");
        }
    }

    /** For tests: wires the agent without OSGi. */
    public InstanceAgent(NetworkAgent network, WorkerConfig config, ReportSender reports) {
        this(network, config);
        this.reports = reports;
    }

    @Deactivate
    void stop() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        health.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addComputeDriver(ComputeDriver driver) {
        drivers.add(driver);
    }

    void removeComputeDriver(ComputeDriver driver) {
        drivers.remove(driver);
        health.forget(driver);
    }

    @Override
    public String hostId() {
        return hostId;
    }

    /**
     * Executes the task and reports the outcome. A driver failure is reported, not thrown; a report that
     * cannot be sent is thrown, so that the transport redelivers the task.
     */
    @Override
    public void handle(WorkerTask task) {
        if (task.action() == WorkerTask.Action.CONSOLE_OUTPUT) {
            send(report(List.of(consoleOutput(task)), false));
            return;
        }
        WorkerReport.InstanceReport outcome;
        try {
            outcome = new WorkerReport.InstanceReport(task.instanceId(), execute(task), task.taskId(), null);
        } catch (RuntimeException e) {
            LOG.warn("{} of instance {} failed: {}", task.action(), task.instanceId(), e.getMessage());
            drivers.forEach(health::forget); // the next task or heartbeat asks the drivers how they are
            outcome = new WorkerReport.InstanceReport(task.instanceId(), inspect(task.instanceId()).orElse(null),
                    task.taskId(), e.getMessage() == null ? e.toString() : e.getMessage());
        }
        send(report(List.of(outcome), false));
    }

    private InstanceStatus execute(WorkerTask task) {
        Duration grace = Duration.ofSeconds(config.stop_grace_seconds());
        return switch (task.action()) {
            case LAUNCH -> plugged(task.spec(), true, () -> driverFor(task.spec()).launch(task.spec()));
            case START -> plugged(task.spec(), false, () -> driverFor(task.spec()).launch(task.spec()));
            case REBOOT -> plugged(task.spec(), false, () -> driverFor(task.spec()).reboot(task.spec(), grace));
            case STOP -> owner(task.instanceId()).map(d -> d.stop(task.instanceId(), grace)).orElse(null);
            case CONSOLE_OUTPUT -> throw new IllegalArgumentException("not a state change");
            case TERMINATE -> terminate(task.instanceId());
        };
    }

    /**
     * Destroys the instance in every driver that has it. One driver failing does not keep the others from
     * destroying theirs; the failure is then thrown (and reported) unless another driver had the instance.
     */
    private InstanceStatus terminate(String instanceId) {
        boolean destroyed = false;
        RuntimeException failure = null;
        for (ComputeDriver driver : drivers) {
            try {
                if (driver.inspect(instanceId).isPresent()) {
                    driver.destroy(instanceId);
                    destroyed = true;
                }
            } catch (RuntimeException e) {
                LOG.warn("Driver {} cannot terminate instance {}: {}", name(driver), instanceId, e.getMessage());
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null && !destroyed) {
            throw failure;
        }
        return null;
    }

    /**
     * The answer to a console output request: the tail of the console of the driver that has the instance, empty
     * when none has it; a driver failure is answered with the error (and an empty output).
     */
    private WorkerReport.InstanceReport consoleOutput(WorkerTask task) {
        String id = task.instanceId();
        try {
            Optional<ComputeDriver> owner = owner(id);
            String output = owner.map(d -> d.consoleOutput(id, WorkerTask.CONSOLE_OUTPUT_MAX_BYTES)).orElse("");
            return new WorkerReport.InstanceReport(id, owner.flatMap(d -> d.inspect(id)).orElse(null), task.taskId(),
                    null, output == null ? "" : output);
        } catch (RuntimeException e) {
            LOG.info("Console output of instance {} not read: {}", id, e.getMessage());
            return new WorkerReport.InstanceReport(id, null, task.taskId(),
                    e.getMessage() == null ? e.toString() : e.getMessage(), "");
        }
    }

    /**
     * Runs an operation that plugs the instance into its port: the port must exist first. If it fails, the whole
     * network is re-applied (a forced pass re-creates a port that vanished with a container stopped outside the
     * platform) and the operation retried once. Repeated tasks thus cost little: the first pass is skipped when
     * nothing changed.
     */
    private InstanceStatus plugged(InstanceSpec spec, boolean prepare,
                                   java.util.function.Supplier<InstanceStatus> operation) {
        if (spec == null) {
            throw new IllegalArgumentException("The task carries no instance spec (image, type or subnet deleted?)");
        }
        long started = System.nanoTime();
        long prepared = started;
        Future<Boolean> pass = network.applySoon(false);
        if (prepare) {
            // Meanwhile, what needs no network (the compute driver's half of a launch, overlapping the pass).
            try {
                driverFor(spec).prepare(spec);
            } catch (RuntimeException e) {
                LOG.debug("Instance {}: preparing failed ({}); the launch will tell", spec.instanceId(), e.getMessage());
            }
            prepared = System.nanoTime();
        }
        NetworkAgent.await(pass, NETWORK_WAIT);
        long networkReady = System.nanoTime();
        try {
            InstanceStatus status = operation.get();
            LOG.debug("Instance {}: prepared in {} ms, network ready after {} ms, compute driver done {} ms later",
                    spec.instanceId(), (prepared - started) / 1_000_000,
                    (networkReady - started) / 1_000_000, (System.nanoTime() - networkReady) / 1_000_000);
            return status;
        } catch (RuntimeException first) {
            LOG.info("Instance {}: {}; re-applying the network and retrying once", spec.instanceId(), first.getMessage());
            // A worker's desired state comes from the controller apart from the task: it may not hold the port yet.
            if (!network.awaitPortOf(spec.instanceId(), NETWORK_WAIT)) {
                LOG.info("Instance {}: this host's desired network has no port of it after {} s", spec.instanceId(),
                        NETWORK_WAIT.toSeconds());
            }
            network.applyNow(NETWORK_WAIT, true);
            return operation.get();
        }
    }

    private static boolean declares(ComputeDriver driver, String capability) {
        try {
            return driver.info().has(capability);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private ComputeDriver driverFor(InstanceSpec spec) {
        String capability = ComputeDriver.IMAGE_FORMAT + spec.image().format();
        return drivers.stream().filter(d -> declares(d, capability)).filter(health::usable).findFirst()
                .orElseThrow(() -> new IllegalStateException("No usable compute driver on " + hostId
                        + " boots images of format '" + spec.image().format() + "'"));
    }

    /** The driver that has the instance; a driver that cannot tell is skipped (logged). */
    private Optional<ComputeDriver> owner(String instanceId) {
        for (ComputeDriver driver : drivers) {
            try {
                if (driver.inspect(instanceId).isPresent()) {
                    return Optional.of(driver);
                }
            } catch (RuntimeException e) {
                LOG.info("Driver {} cannot inspect instance {}: {}", name(driver), instanceId, e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static String name(ComputeDriver driver) {
        try {
            return driver.info().name();
        } catch (RuntimeException e) {
            return driver.getClass().getSimpleName();
        }
    }

    private Optional<InstanceStatus> inspect(String instanceId) {
        for (ComputeDriver driver : drivers) {
            try {
                Optional<InstanceStatus> status = driver.inspect(instanceId);
                if (status.isPresent()) {
                    return status;
                }
            } catch (RuntimeException e) {
                LOG.debug("Driver {} cannot inspect {}: {}", name(driver), instanceId, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Sends a heartbeat with the full inventory now. A driver whose list fails is left out (logged), and so are
     * its capabilities in this heartbeat: the controller then neither places instances on it nor takes its
     * instances, absent from the inventory, for missing (it only does so for image formats the worker declares).
     */
    public void heartbeat() {
        List<WorkerReport.InstanceReport> inventory = new ArrayList<>();
        List<ComputeDriver> failed = new ArrayList<>();
        for (ComputeDriver driver : drivers) {
            try {
                for (InstanceStatus status : driver.list()) {
                    inventory.add(new WorkerReport.InstanceReport(status.instanceId(), status, null, null));
                }
            } catch (RuntimeException | LinkageError e) { // a driver's missing native library must not stop heartbeats
                LOG.warn("Compute driver {} cannot list its instances ({}); the heartbeat goes without it", name(driver),
                        e.getMessage() == null ? e.toString() : e.getMessage());
                health.forget(driver);
                failed.add(driver);
            }
        }
        send(report(inventory, true, failed));
    }

    /**
     * Never throws: an exception escaping a scheduled task cancels all its later runs, and a worker that stops
     * sending heartbeats is marked down with all its instances. A failure is logged once until the next success.
     */
    private void heartbeatQuietly() {
        try {
            heartbeat();
            if (heartbeatFailing) {
                LOG.info("Heartbeats reach the controller again");
                heartbeatFailing = false;
            }
        } catch (RuntimeException | Error e) {
            if (!heartbeatFailing) {
                LOG.warn("Heartbeat not sent (retried every {} s, logged again once it works): {}",
                        config.heartbeat_seconds(), e.getMessage() == null ? e.toString() : e.getMessage());
                heartbeatFailing = true;
            } else {
                LOG.debug("Heartbeat not sent: {}", e.toString());
            }
            if (e instanceof VirtualMachineError) {
                throw (VirtualMachineError) e;
            }
        }
    }

    private WorkerReport report(List<WorkerReport.InstanceReport> instances, boolean inventory) {
        return report(instances, inventory, List.of());
    }

    /** @param without drivers whose capabilities this report must not declare (even if another driver has them) */
    private WorkerReport report(List<WorkerReport.InstanceReport> instances, boolean inventory,
                                List<ComputeDriver> without) {
        Set<String> capabilities = new LinkedHashSet<>();
        Set<String> withheld = new LinkedHashSet<>();
        for (ComputeDriver driver : drivers) {
            try {
                if (without.contains(driver)) {
                    withheld.add("compute:" + driver.info().name());
                    withheld.addAll(driver.info().capabilities());
                } else if (health.usable(driver)) {
                    capabilities.add("compute:" + driver.info().name());
                    capabilities.addAll(driver.info().capabilities().stream().sorted().toList());
                }
            } catch (RuntimeException e) {
                LOG.warn("Compute driver {}: capabilities not reported ({})", name(driver), e.getMessage());
            }
        }
        capabilities.removeAll(withheld);
        Path data = Path.of(System.getProperty("karaf.data", "."));
        return new WorkerReport(hostId, HostIdentity.address(),
                HostCapacity.measure(config.cpu_allocation_ratio(), config.memory_allocation_ratio(), data),
                List.copyOf(capabilities), instances, inventory, Instant.now(),
                config.underlay_address().isBlank() ? null : config.underlay_address().strip());
    }

    private void send(WorkerReport report) {
        ReportSender sender = reports;
        if (sender == null) {
            throw new IllegalStateException("No report transport yet");
        }
        sender.send(report);
    }
}
