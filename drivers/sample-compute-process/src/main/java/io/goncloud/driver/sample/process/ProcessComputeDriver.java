package io.goncloud.driver.sample.process;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.NicSpec;
import io.goncloud.api.spi.compute.InstanceStatus;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A sample compute driver, built against platform-api alone: an instance is a host program (the image is the
 * absolute path of an executable, format {@value #IMAGE_FORMAT}) run in a network namespace and a host name of its
 * own ({@code unshare --net --uts}), its NICs moved in from the network driver's namespace. The namespace lives as
 * long as the process, so a stopped or killed instance holds no address. Memory is capped roughly ({@code ulimit
 * -v}); vCPUs are not enforced. See docs/writing-a-driver.md.
 */
@Component(service = ComputeDriver.class, configurationPid = ProcessComputeDriver.PID,
        property = Driver.PROPERTY_DRIVER_NAME + "=" + ProcessComputeDriver.NAME)
@Designate(ocd = ProcessDriverConfig.class)
public class ProcessComputeDriver implements ComputeDriver {

    public static final String PID = "io.goncloud.driver.sample.process";
    public static final String NAME = "sample-process";
    public static final String IMAGE_FORMAT = "process";
    public static final String DEFAULT_STATE_DIR = "/var/lib/gcp/sample-process";

    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final int MIN_MEMORY_MIB = 8;

    private String hostNetns;
    private Path stateDir;

    /** For Declarative Services; {@link #activate} configures it. */
    public ProcessComputeDriver() {
    }

    /** A driver outside OSGi (tests): NICs from {@code hostNetns} (empty: this process's), state in {@code stateDir}. */
    public ProcessComputeDriver(String hostNetns, Path stateDir) {
        this.hostNetns = hostNetns;
        this.stateDir = stateDir;
    }

    @Activate
    void activate(ProcessDriverConfig config) {
        hostNetns = config.host_netns();
        stateDir = Path.of(config.state_dir());
    }

    @Override
    public DriverInfo info() {
        return new DriverInfo(NAME, DriverKind.COMPUTE, "0.1.0", Set.of(ComputeDriver.IMAGE_FORMAT + IMAGE_FORMAT));
    }

    @Override
    public HealthReport probe() {
        for (String tool : List.of("unshare", "nsenter", "setsid")) {
            if (!Commands.run(tool, "--version").ok()) {
                return HealthReport.unusable(tool + " (util-linux) does not run here");
            }
        }
        if (!hostNetns.isEmpty() && !Commands.run("ip", "netns", "pids", hostNetns).ok()) {
            return HealthReport.unusable("the network namespace " + hostNetns + " (host_netns) does not exist");
        }
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            return HealthReport.unusable("cannot create the state directory " + stateDir + ": " + e.getMessage());
        }
        return HealthReport.ok("processes in network namespaces of their own, NICs from "
                + (hostNetns.isEmpty() ? "this process's namespace" : hostNetns) + ", state in " + stateDir);
    }

    @Override
    public InstanceStatus launch(InstanceSpec spec) {
        String what = "Cannot launch instance " + validate(spec);
        InstanceDir dir = dir(spec.instanceId());
        if (dir.exists()) {
            return start(spec); // launched before: left as is, started if stopped
        }
        checkImageAndNics(spec, what);
        dir.create();
        try {
            return run(spec, dir, what);
        } catch (RuntimeException e) {
            destroy(spec.instanceId()); // a failed launch leaves nothing
            throw e;
        }
    }

    @Override
    public InstanceStatus start(InstanceSpec spec) {
        String what = "Cannot start instance " + validate(spec);
        InstanceDir dir = existing(spec.instanceId(), what);
        if (dir.process().isPresent()) {
            return dir.status();
        }
        checkImageAndNics(spec, what);
        return run(spec, dir, what);
    }

    @Override
    public InstanceStatus stop(String instanceId, Duration grace) {
        InstanceDir dir = existing(instanceId, "Cannot stop instance " + instanceId);
        Optional<ProcessHandle> process = dir.process();
        if (process.isPresent()) {
            dir.markStopped();
            handBackNics(dir, process.get().pid());
            end(process.get(), grace);
        }
        return dir.status();
    }

    @Override
    public InstanceStatus reboot(InstanceSpec spec, Duration grace) {
        stop(validate(spec), grace);
        return start(spec);
    }

    @Override
    public void destroy(String instanceId) {
        InstanceDir dir = new InstanceDir(stateDir, checkId(instanceId));
        dir.process().ifPresent(process -> end(process, Duration.ZERO));
        dir.delete();
    }

    @Override
    public Optional<InstanceStatus> inspect(String instanceId) {
        InstanceDir dir = new InstanceDir(stateDir, checkId(instanceId));
        return dir.exists() ? Optional.of(dir.status()) : Optional.empty();
    }

    @Override
    public List<InstanceStatus> list() {
        if (!Files.isDirectory(stateDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(stateDir)) {
            return dirs.map(d -> d.getFileName().toString()).filter(id -> INSTANCE_ID.matcher(id).matches())
                    .map(id -> new InstanceDir(stateDir, id).status()).toList();
        } catch (IOException e) {
            throw new DriverException("Cannot list instances: " + e.getMessage(), e);
        }
    }

    @Override
    public String consoleOutput(String instanceId, int maxBytes) {
        return existing(checkId(instanceId), "Cannot read the console of instance " + instanceId).consoleTail(maxBytes);
    }

    // --- a run: the process in new namespaces, then its NICs moved in

    /**
     * Starts the image's program as {@code unshare --net --uts sh -c ...} in a new session (so that a stop ends the
     * program and everything it started), waits for the pid it writes, and moves the NICs in.
     */
    private InstanceStatus run(InstanceSpec spec, InstanceDir dir, String what) {
        dir.clearRun();
        String script = "echo $$ > \"$1/pid\"; hostname \"$2\"; ulimit -v \"$3\"; "
                + "\"$4\" < /dev/null >> \"$1/console.log\" 2>&1; echo $? > \"$1/exit\"";
        try {
            new ProcessBuilder("setsid", "-f", "unshare", "--net", "--uts", "sh", "-c", script, "sh",
                    dir.path().toString(), hostname(spec), String.valueOf(spec.memoryMiB() * 1024L), spec.image().location())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.console().toFile()))
                    .start().waitFor();
        } catch (IOException e) {
            throw new DriverException(what + ": cannot start its process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException(what + ": interrupted", e);
        }
        if (!await(() -> dir.process().isPresent(), Duration.ofSeconds(10))) {
            throw new DriverException(what + ": its process did not start (see its console)");
        }
        long pid = dir.process().orElseThrow().pid();
        try {
            attachNics(spec.nics(), pid);
        } catch (DriverException e) {
            end(dir.process().orElseThrow(), Duration.ZERO);
            throw new DriverException(what + ": could not attach its network interfaces: " + e.getMessage(), e);
        }
        dir.writeNics(spec.nics().stream().map(NicSpec::hostDevice).toList());
        return dir.status();
    }

    /** Moves each NIC's device into the process's network namespace as eth{@code i} and configures it. */
    private void attachNics(List<NicSpec> nics, long pid) {
        String ns = String.valueOf(pid);
        Commands.check("loopback", "nsenter", "-t", ns, "-n", "ip", "link", "set", "lo", "up");
        for (int i = 0; i < nics.size(); i++) {
            NicSpec nic = nics.get(i);
            String eth = "eth" + i;
            Commands.check("NIC " + i, ipInHost("link", "set", "dev", nic.hostDevice(), "netns", ns));
            Commands.check("NIC " + i, "nsenter", "-t", ns, "-n", "ip", "link", "set", "dev", nic.hostDevice(), "name", eth,
                    "address", nic.macAddress(), "up");
            Commands.check("NIC " + i, "nsenter", "-t", ns, "-n", "ip", "addr", "add",
                    nic.ipAddress() + "/" + nic.prefixLength(), "dev", eth);
            if (i == 0 && nic.gateway() != null) {
                Commands.check("NIC 0", "nsenter", "-t", ns, "-n", "ip", "route", "add", "default", "via", nic.gateway());
            }
        }
    }

    /** A graceful stop hands the NICs back to the network driver's namespace, under their names: the pairs survive. */
    private void handBackNics(InstanceDir dir, long pid) {
        List<String> devices = dir.nics();
        String target = hostNetns.isEmpty() ? "1" : hostNetns; // pid 1's namespace: the host's own
        for (int i = 0; i < devices.size(); i++) {
            String eth = "eth" + i;
            Commands.run("nsenter", "-t", String.valueOf(pid), "-n", "ip", "addr", "flush", "dev", eth);
            Commands.run("nsenter", "-t", String.valueOf(pid), "-n", "ip", "link", "set", "dev", eth, "down");
            Commands.run("nsenter", "-t", String.valueOf(pid), "-n", "ip", "link", "set", "dev", eth, "name",
                    devices.get(i), "netns", target);
        }
    }

    /** SIGTERM to the instance's session, SIGKILL after {@code grace}; returns once it has ended. */
    private static void end(ProcessHandle process, Duration grace) {
        String group = "-" + process.pid();
        Commands.run("kill", "-TERM", "--", group);
        if (!await(() -> !process.isAlive(), grace)) {
            Commands.run("kill", "-KILL", "--", group);
            await(() -> !process.isAlive(), Duration.ofSeconds(10));
        }
    }

    // --- what a spec must be, checked before anything is made

    private static String validate(InstanceSpec spec) {
        if (spec == null) {
            throw new DriverException("no instance spec");
        }
        String what = "Instance " + checkId(spec.instanceId()) + ": ";
        if (spec.image() == null || !IMAGE_FORMAT.equals(spec.image().format())) {
            throw new DriverException(what + "image " + (spec.image() == null ? null : spec.image().imageId())
                    + " has format '" + (spec.image() == null ? null : spec.image().format())
                    + "'; the sample process driver boots only " + IMAGE_FORMAT);
        }
        if (spec.vcpus() < 1) {
            throw new DriverException(what + "vcpus must be at least 1, not " + spec.vcpus());
        }
        if (spec.memoryMiB() < MIN_MEMORY_MIB) {
            throw new DriverException(what + "memory must be at least " + MIN_MEMORY_MIB + " MiB, not " + spec.memoryMiB());
        }
        hostname(spec);
        return spec.instanceId();
    }

    private static String checkId(String instanceId) {
        if (instanceId == null || !INSTANCE_ID.matcher(instanceId).matches()) {
            throw new DriverException("'" + instanceId + "' is not a valid instance id for a directory name "
                    + "(letters, digits, '_', '.', '-', at most 128)");
        }
        return instanceId;
    }

    private static String hostname(InstanceSpec spec) {
        String hostname = spec.labels().getOrDefault("hostname", spec.instanceId());
        if (!hostname.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,62}")) {
            throw new DriverException("Instance " + spec.instanceId() + ": label hostname='" + hostname
                    + "' is not a valid host name");
        }
        return hostname;
    }

    private void checkImageAndNics(InstanceSpec spec, String what) {
        Path program = Path.of(spec.image().location() == null ? "" : spec.image().location());
        if (!program.isAbsolute() || !Files.isExecutable(program)) {
            throw new DriverException(what + ": image " + spec.image().imageId() + " (" + program
                    + ") is not on this host as an executable file");
        }
        List<String> missing = new ArrayList<>();
        for (NicSpec nic : spec.nics()) {
            if (!Commands.run(ipInHost("link", "show", "dev", nic.hostDevice())).ok()) {
                missing.add("network device " + nic.hostDevice() + " does not exist in network namespace "
                        + (hostNetns.isEmpty() ? "of this process" : hostNetns));
            }
        }
        if (!missing.isEmpty()) {
            throw new DriverException(what + ": could not attach its network interfaces: " + String.join("; ", missing));
        }
    }

    private InstanceDir existing(String instanceId, String what) {
        InstanceDir dir = new InstanceDir(stateDir, checkId(instanceId));
        if (!dir.exists()) {
            throw new DriverException(what + ": it does not exist on this host (no directory " + dir.path() + ")");
        }
        return dir;
    }

    private InstanceDir dir(String instanceId) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new InstanceDir(stateDir, instanceId);
    }

    /** {@code ip} in the network driver's namespace. */
    private String[] ipInHost(String... arguments) {
        List<String> argv = new ArrayList<>(hostNetns.isEmpty() ? List.of("ip") : List.of("ip", "-n", hostNetns));
        argv.addAll(List.of(arguments));
        return argv.toArray(String[]::new);
    }

    private static boolean await(BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20); // polling interval, not a guess at how long something takes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return true;
    }
}
