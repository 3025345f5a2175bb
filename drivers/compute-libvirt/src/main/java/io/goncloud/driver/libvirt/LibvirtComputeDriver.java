package io.goncloud.driver.libvirt;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;
import io.goncloud.driver.compute.common.GuestHostnames;
import io.goncloud.driver.compute.common.HostCommands;
import io.goncloud.driver.libvirt.LibvirtConnection.NoSuchInstance;
import io.goncloud.driver.libvirt.LibvirtConnection.Unreachable;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error;
import org.libvirt.LibvirtException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.goncloud.driver.libvirt.LibvirtConnection.message;
import java.util.function.Supplier;

/**
 * Compute driver running each instance as a libvirt/QEMU virtual machine, domain {@code gcp-<instanceId>}.
 *
 * <ul>
 *   <li>Images: formats {@code qcow2} and {@code raw}; {@code ImageRef.location()} is the image file's
 *       absolute path. The instance boots (BIOS) from a qcow2 overlay whose backing file is the image,
 *       sized by rootDiskGiB; the image itself is never written, moved or removed.</li>
 *   <li>Guest configuration: a NoCloud seed disk ({@link NoCloudSeed}) with the user data and keys.</li>
 *   <li>NICs: {@link NicPlumber} bridges the network driver's veth to the VM's tap.</li>
 *   <li>Console: the serial port, logged by virtlogd to {@code console.log}.</li>
 *   <li>Acceleration: {@link AcceleratorProbe}, reported as capability {@code accelerator:kvm|tcg}.</li>
 * </ul>
 * Per instance, everything lives in {@code <state dir>/gcp-<instanceId>/} (disk.qcow2, seed.img, console.log)
 * and on devices named {@code gcpv<id><n>} (bridges) and {@code gcpw<id><n>} (taps), so that the driver finds
 * it all again from the instance id after any restart. The connection to libvirt is re-opened when libvirtd
 * restarts.
 */
@Component(service = ComputeDriver.class, configurationPid = LibvirtComputeDriver.PID,
        property = Driver.PROPERTY_DRIVER_NAME + "=" + LibvirtComputeDriver.NAME)
@Designate(ocd = LibvirtDriverConfig.class)
public class LibvirtComputeDriver implements ComputeDriver, AutoCloseable {

    public static final String NAME = "libvirt";
    public static final String PID = "io.goncloud.driver.libvirt";
    public static final String VERSION = "0.1.0";
    public static final String DEFAULT_URI = "qemu:///system";
    public static final String DEFAULT_STATE_DIR = "/var/lib/gcp/libvirt";
    public static final String IMAGE_FORMAT_QCOW2 = "qcow2";
    public static final String IMAGE_FORMAT_RAW = "raw";
    /** Capability prefix naming the accelerator QEMU uses: {@code accelerator:kvm} or {@code accelerator:tcg}. */
    public static final String ACCELERATOR = "accelerator:";
    public static final String DOMAIN_PREFIX = Driver.HOST_NAME_PREFIX + "-";
    /** Spec label giving the guest's hostname; without it the hostname is the instance id. */
    public static final String SPEC_LABEL_HOSTNAME = GuestHostnames.LABEL;

    static final String DISK = "disk.qcow2";
    static final String SEED = "seed.img";
    static final String CONSOLE = "console.log";

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtComputeDriver.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(200);
    /** A guest may miss an ACPI power button pressed while it boots: press again this often. */
    private static final Duration SHUTDOWN_REPEAT = Duration.ofSeconds(2);

    private volatile LibvirtConnection libvirt = new LibvirtConnection(DEFAULT_URI);
    private volatile Path stateDir = Path.of(DEFAULT_STATE_DIR);
    private volatile NicPlumber nics = new NicPlumber("");
    /** Probed in the background at activation (up to {@link AcceleratorProbe#DEFAULT_TIMEOUT} where /dev/kvm opens). */
    private volatile AcceleratorChoice accelerator = AcceleratorChoice.of("tcg", null, Duration.ZERO);
    /** One lock per instance: operations on one instance never interleave in this driver. */
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    /** For Declarative Services; call {@link #open} to use the class directly. */
    public LibvirtComputeDriver() {
    }

    /**
     * A driver outside OSGi (tests, tools).
     *
     * @param uri         libvirt URI, e.g. {@value #DEFAULT_URI}
     * @param hostNetns   named network namespace holding the instance-side veth devices; empty for this process's
     * @param stateDir    where instance directories are made
     * @param accelerator {@code auto}, {@code kvm} or {@code tcg}
     */
    public static LibvirtComputeDriver open(String uri, String hostNetns, Path stateDir, String accelerator) {
        LibvirtComputeDriver driver = new LibvirtComputeDriver();
        driver.configure(uri, hostNetns, stateDir.toString(), accelerator);
        return driver;
    }

    /** A driver in {@code auto} mode whose accelerator probe is {@code prober} (tests: slow or wrong probes). */
    static LibvirtComputeDriver open(String uri, String hostNetns, Path stateDir, Supplier<AcceleratorProbe> prober,
                                     Duration probeBound) {
        LibvirtComputeDriver driver = new LibvirtComputeDriver();
        driver.configure(uri, hostNetns, stateDir.toString(), "auto");
        driver.accelerator = AcceleratorChoice.of("auto", prober, probeBound);
        return driver;
    }

    @Activate
    void activate(LibvirtDriverConfig config) {
        configure(config.uri(), config.host_netns(), config.state_dir(), config.accelerator());
        LOG.info("libvirt compute driver for {} (instances in {}; NICs from {})", libvirt.uri(), stateDir,
                nics.hostNetnsDescription());
        accelerator.whenKnown(a -> LOG.info("libvirt compute driver: accelerator {} ({})", a.accelerator(), a.detail()));
    }

    @Deactivate
    @Override
    public void close() {
        libvirt.close();
    }

    private void configure(String u, String hostNetns, String dir, String accel) {
        this.libvirt = new LibvirtConnection(u == null || u.isBlank() ? DEFAULT_URI : u.trim());
        this.stateDir = Path.of(dir == null || dir.isBlank() ? DEFAULT_STATE_DIR : dir.trim()).toAbsolutePath();
        this.nics = new NicPlumber(hostNetns);
        this.accelerator = AcceleratorChoice.of(accel, () -> {
            String qemu = qemuBinary();
            return qemu == null ? new AcceleratorProbe(AcceleratorProbe.TCG, "qemu-system-x86_64 is not installed")
                    : AcceleratorProbe.run(qemu, AcceleratorProbe.DEFAULT_TIMEOUT);
        }, AcceleratorChoice.DEFAULT_BOUND);
    }

    static String qemuBinary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "qemu-system-x86_64"))) {
                return Path.of(dir, "qemu-system-x86_64").toString();
            }
        }
        return null;
    }

    /** The accelerator in force (waiting for the probe if it still runs). */
    public String accelerator() {
        return accelerator.await().accelerator();
    }

    /** Why that accelerator. */
    public String acceleratorDetail() {
        return accelerator.await().detail();
    }

    /** Runs {@code call} on the shared libvirt connection (see {@link LibvirtConnection#call}). */
    private <T> T call(String what, LibvirtConnection.LibvirtCall<T> call) {
        return libvirt.call(what, call);
    }

    // ---------------------------------------------------------------------------------------------
    // Driver

    @Override
    public DriverInfo info() {
        // Cheap: the accelerator is named only once its probe (started at activation) has answered; launches
        // meanwhile wait for that answer, so the images are claimed from the start.
        Set<String> capabilities = new java.util.LinkedHashSet<>(List.of(IMAGE_FORMAT + IMAGE_FORMAT_QCOW2,
                IMAGE_FORMAT + IMAGE_FORMAT_RAW));
        accelerator.known().ifPresent(a -> capabilities.add(ACCELERATOR + a.accelerator()));
        return new DriverInfo(NAME, DriverKind.COMPUTE, VERSION, capabilities);
    }

    @Override
    public HealthReport probe() {
        String uri = libvirt.uri();
        String daemon;
        FutureTask<String> versions = new FutureTask<>(() -> {
            Connect c = LibvirtConnection.open(uri);
            try {
                return "libvirt " + version(c.getLibVersion()) + " with " + c.getType() + " "
                        + version(c.getVersion()) + " at " + uri;
            } finally {
                LibvirtConnection.closeQuietly(c);
            }
        });
        Thread t = new Thread(versions, "gcp-libvirt-probe");
        t.setDaemon(true);
        t.start();
        try {
            daemon = versions.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            return HealthReport.unusable("libvirt at " + uri + " did not answer within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return HealthReport.unusable("libvirt at " + uri + " does not answer ("
                    + (cause instanceof LibvirtException l ? message(l) : String.valueOf(cause)) + "); start libvirtd "
                    + "(and virtlogd), e.g. scripts/lib.sh start_libvirt");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthReport.unusable("interrupted while probing libvirt at " + uri);
        } catch (LinkageError e) {
            return HealthReport.unusable("the libvirt client library (libvirt0) cannot be loaded: " + e.getMessage());
        }
        for (List<String> tool : List.of(List.of("ip", "-V"), List.of("qemu-img", "--version"),
                List.of("mkfs.vfat", "--help"), List.of("mcopy", "--version"))) {
            try {
                HostCommands.Result r = HostCommands.run(tool);
                if (r.exitCode() == 127 || (!r.ok() && !tool.get(0).equals("mkfs.vfat"))) {
                    return HealthReport.unusable(daemon + ", but " + r.describe());
                }
            } catch (DriverException e) {
                return HealthReport.unusable(daemon + ", but " + e.getMessage());
            }
        }
        try {
            Files.createDirectories(stateDir);
            if (!Files.isWritable(stateDir)) {
                return HealthReport.unusable(daemon + ", but the state directory " + stateDir + " is not writable");
            }
        } catch (IOException e) {
            return HealthReport.unusable(daemon + ", but the state directory " + stateDir + " cannot be made: " + e);
        }
        String netns = nics.checkHostNamespace();
        if (netns != null) {
            return HealthReport.unusable(daemon + ", but " + netns);
        }
        String accel = accelerator.known().map(a -> a.accelerator() + " (" + a.detail() + ")")
                .orElse("not known yet (its probe runs)");
        return HealthReport.ok(daemon + "; accelerator " + accel
                + "); instances in " + stateDir + "; NICs from " + nics.hostNetnsDescription());
    }

    private static String version(long v) {
        return (v / 1_000_000) + "." + (v / 1000 % 1000) + "." + (v % 1000);
    }

    // ---------------------------------------------------------------------------------------------
    // ComputeDriver

    @Override
    public InstanceStatus launch(InstanceSpec spec) {
        String instanceId = InstanceSpecs.validate(spec);
        String what = "Cannot launch instance " + instanceId;
        synchronized (lock(instanceId)) {
            if (lookup(instanceId, what).isPresent()) {
                return startLocked(spec, "Cannot launch instance " + instanceId);
            }
            Path image = Path.of(spec.image().location());
            String format = InstanceDisks.imageFormat(spec, image, what);
            AcceleratorProbe accel = awaitAccelerator(what); // before anything is made: nothing to undo
            Path dir = instanceDir(instanceId);
            Path disk = dir.resolve(DISK);
            String step = "could not create its directory " + dir;
            boolean defined = false;
            try {
                Files.createDirectories(dir);
                step = "could not create its copy-on-write disk";
                InstanceDisks.createOverlay(instanceId, image, format, spec.rootDiskGiB(), disk);
                step = "could not build its NoCloud seed";
                NoCloudSeed.write(dir.resolve(SEED), spec, InstanceSpecs.hostname(spec));
                step = "could not attach its network interfaces";
                nics.attach(instanceId, deviceId(instanceId), spec.nics());
                step = "libvirt could not define and start domain " + domainName(instanceId);
                defined = true; // perhaps: the clean-up looks
                accel = startDomain(spec, accel, true, what);
                LOG.info("Instance {}: started domain {} ({} vCPU, {} MiB, {} GiB disk on {}, {})", instanceId,
                        domainName(instanceId), spec.vcpus(), spec.memoryMiB(), spec.rootDiskGiB(), image,
                        accel.accelerator());
                return status(instanceId, what);
            } catch (IOException | RuntimeException e) {
                String inner = String.valueOf(e.getMessage());
                if (inner.startsWith(what + ": ")) {
                    inner = inner.substring(what.length() + 2);
                }
                DriverException failure = new DriverException(what + ": " + step + ": " + inner,
                        e instanceof DriverException && e.getCause() != null ? e.getCause() : e);
                try {
                    removeEverything(instanceId, defined);
                    LOG.info("Instance {}: removed what the failed launch made", instanceId);
                } catch (RuntimeException cleanup) {
                    failure = new DriverException(failure.getMessage() + "; cleaning up failed too: "
                            + cleanup.getMessage(), failure.getCause());
                    failure.addSuppressed(cleanup);
                }
                throw failure;
            }
        }
    }

    @Override
    public InstanceStatus start(InstanceSpec spec) {
        String instanceId = InstanceSpecs.validate(spec);
        synchronized (lock(instanceId)) {
            return startLocked(spec, "Cannot start instance " + instanceId);
        }
    }

    private InstanceStatus startLocked(InstanceSpec spec, String what) {
        String instanceId = spec.instanceId();
        DomainState state = state(instanceId, what);
        if (state.active()) {
            try {
                nics.attach(instanceId, deviceId(instanceId), spec.nics()); // idempotent: repairs the plumbing
            } catch (DriverException e) {
                throw new DriverException(what + ": could not attach its network interfaces: " + e.getMessage(), e);
            }
            return status(instanceId, what);
        }
        Path dir = instanceDir(instanceId);
        if (!Files.isRegularFile(dir.resolve(DISK))) {
            throw new DriverException(what + ": its disk " + dir.resolve(DISK) + " is missing");
        }
        try {
            // The seed follows the spec, as cloud-init reads it at every boot.
            NoCloudSeed.write(dir.resolve(SEED), spec, InstanceSpecs.hostname(spec));
        } catch (DriverException e) {
            throw new DriverException(what + ": could not build its NoCloud seed: " + e.getMessage(), e);
        }
        try {
            nics.attach(instanceId, deviceId(instanceId), spec.nics());
        } catch (DriverException e) {
            nics.detach(instanceId, deviceId(instanceId));
            throw new DriverException(what + ": could not attach its network interfaces: " + e.getMessage()
                    + " (it stays stopped)", e);
        }
        try {
            AcceleratorProbe accel = awaitAccelerator(what);
            // A domain defined for another accelerator (KVM demoted since) follows the answer in force.
            startDomain(spec, accel, definedForKvm(instanceId, what) != accel.kvm(), what);
        } catch (DriverException e) {
            nics.detach(instanceId, deviceId(instanceId));
            throw new DriverException(what + ": libvirt could not start domain " + domainName(instanceId) + ": "
                    + e.getMessage().replace(what + ": ", "") + " (it stays stopped)", e);
        }
        LOG.info("Instance {}: started domain {}", instanceId, domainName(instanceId));
        return status(instanceId, what);
    }

    @Override
    public InstanceStatus stop(String instanceId, Duration grace) {
        InstanceSpecs.checkInstanceId(instanceId);
        String what = "Cannot stop instance " + instanceId;
        synchronized (lock(instanceId)) {
            return stopLocked(instanceId, grace, what);
        }
    }

    private InstanceStatus stopLocked(String instanceId, Duration grace, String what) {
        DomainState state = state(instanceId, what);
        if (state.active()) {
            long started = System.nanoTime();
            long deadline = started + (grace == null || grace.isNegative() ? 0 : grace.toNanos());
            long nextPress = started;
            boolean forced = false;
            while (true) {
                if (!state.active()) {
                    break;
                }
                long now = System.nanoTime();
                if (now >= deadline) {
                    call(what, c -> withDomain(c, instanceId, d -> {
                        if (d.isActive() != 0) {
                            d.destroy();
                        }
                    }));
                    forced = true;
                    break;
                }
                if (now >= nextPress) {
                    try {
                        call(what, c -> withDomain(c, instanceId, Domain::shutdown));
                    } catch (DriverException e) {
                        // e.g. "domain is not running" when it just went off
                        LOG.debug("Instance {}: ACPI shutdown request failed: {}", instanceId, e.getMessage());
                    }
                    nextPress = now + SHUTDOWN_REPEAT.toNanos();
                }
                sleep(POLL.toMillis());
                state = state(instanceId, what);
            }
            LOG.info("Instance {}: {} domain {} after {} ms", instanceId, forced ? "forced off" : "shut down",
                    domainName(instanceId), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        nics.detach(instanceId, deviceId(instanceId));
        return status(instanceId, what);
    }

    @Override
    public InstanceStatus reboot(InstanceSpec spec, Duration grace) {
        String instanceId = InstanceSpecs.validate(spec);
        String what = "Cannot reboot instance " + instanceId;
        synchronized (lock(instanceId)) {
            state(instanceId, what); // exists
            stopLocked(instanceId, grace, what);
            return startLocked(spec, what);
        }
    }

    @Override
    public void destroy(String instanceId) {
        InstanceSpecs.checkInstanceId(instanceId);
        synchronized (lock(instanceId)) {
            Optional<Boolean> exists = lookup(instanceId, "Cannot destroy instance " + instanceId);
            removeEverything(instanceId, exists.isPresent());
            if (exists.isPresent()) {
                LOG.info("Instance {}: destroyed domain {}", instanceId, domainName(instanceId));
            }
        }
    }

    /** Domain (destroyed and undefined), NIC plumbing, instance directory; each idempotent. */
    private void removeEverything(String instanceId, boolean domain) {
        String what = "Cannot destroy instance " + instanceId;
        if (domain) {
            call(what, c -> {
                Optional<Domain> d = find(c, domainName(instanceId));
                if (d.isPresent()) {
                    try {
                        if (d.get().isActive() != 0) {
                            d.get().destroy();
                        }
                        d.get().undefine();
                    } catch (LibvirtException e) {
                        if (!noDomain(e)) {
                            throw e;
                        }
                    } finally {
                        d.get().free();
                    }
                }
                return null;
            });
        }
        List<String> problems = nics.detach(instanceId, deviceId(instanceId));
        Path dir = instanceDir(instanceId);
        try {
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            problems.add("cannot remove " + dir + ": " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new DriverException(what + ": " + String.join("; ", problems));
        }
    }

    @Override
    public Optional<InstanceStatus> inspect(String instanceId) {
        InstanceSpecs.checkInstanceId(instanceId);
        String what = "Cannot inspect instance " + instanceId;
        try {
            if (lookup(instanceId, what).isEmpty()) {
                return Optional.empty();
            }
        } catch (Unreachable e) {
            // A host without libvirtd (or while it restarts) has no VM this driver made, unless their files say so:
            // other drivers' instances must not fail because of this one.
            if (!Files.isDirectory(instanceDir(instanceId))) {
                return Optional.empty();
            }
            throw e;
        }
        try {
            return Optional.of(status(instanceId, what));
        } catch (NoSuchInstance e) {
            return Optional.empty();
        }
    }

    @Override
    public List<InstanceStatus> list() {
        String what = "Cannot list instances";
        try {
            return listDomains(what);
        } catch (Unreachable e) {
            if (!anyInstanceDirectory()) {
                return List.of(); // no libvirtd and nothing of this driver's on this host
            }
            throw e;
        }
    }

    private List<InstanceStatus> listDomains(String what) {
        return call(what, c -> {
            List<InstanceStatus> result = new ArrayList<>();
            for (Domain d : c.listAllDomains(0)) {
                try {
                    String name = d.getName();
                    if (!name.startsWith(DOMAIN_PREFIX)) {
                        continue;
                    }
                    String id = instanceIdOf(d);
                    if (id == null || !name.equals(domainName(id))) {
                        continue;
                    }
                    if (!Files.isDirectory(instanceDir(id))) {
                        // Another driver configuration's (another platform's, a test's: its state directory
                        // holds the disks), or one whose disks are gone: never reported, so never taken for
                        // an orphan and destroyed by this platform.
                        continue;
                    }
                    result.add(toStatus(id, DomainState.of(d)));
                } catch (LibvirtException e) {
                    if (!noDomain(e)) {
                        throw e;
                    }
                } finally {
                    d.free();
                }
            }
            return result;
        });
    }

    @Override
    public String consoleOutput(String instanceId, int maxBytes) {
        InstanceSpecs.checkInstanceId(instanceId);
        String what = "Cannot read the console output of instance " + instanceId;
        state(instanceId, what);
        if (maxBytes <= 0) {
            return "";
        }
        Path log = instanceDir(instanceId).resolve(CONSOLE);
        if (!Files.exists(log)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            int n = (int) Math.min(maxBytes, length);
            byte[] bytes = new byte[n];
            f.seek(length - n);
            f.readFully(bytes);
            int start = 0;
            while (start < bytes.length && start < 3 && (bytes[start] & 0xC0) == 0x80) {
                start++; // do not begin inside a UTF-8 sequence
            }
            return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DriverException(what + ": cannot read " + log + ": " + e.getMessage(), e);
        }
    }


    // ---------------------------------------------------------------------------------------------
    // Domains and their accelerator

    private AcceleratorProbe awaitAccelerator(String what) {
        try {
            return accelerator.await();
        } catch (DriverException e) {
            throw new DriverException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the instance's domain, (re)defining it for {@code accel} first if {@code define}. Where KVM cannot run
     * it (libvirt refuses the type, or QEMU dies at start, as on a /dev/kvm that opens but rejects the host CPU's
     * registers) and the probe chose KVM, the domain is defined for TCG and started again; if it runs, TCG is the
     * driver's answer from then on (a launch is not failed for what the probe got wrong).
     *
     * @return the accelerator the domain runs under
     */
    private AcceleratorProbe startDomain(InstanceSpec spec, AcceleratorProbe accel, boolean define, String what) {
        try {
            defineAndCreate(spec, accel, define, what);
            return accel;
        } catch (DriverException underKvm) {
            if (!accelerator.mayFallBack(accel)) {
                throw underKvm;
            }
            String why = underKvm.getMessage().replace(what + ": ", "");
            LOG.warn("Instance {}: KVM could not run domain {} ({}); trying TCG", spec.instanceId(),
                    domainName(spec.instanceId()), why);
            try {
                defineAndCreate(spec, new AcceleratorProbe(AcceleratorProbe.TCG, "fallback"), true, what);
            } catch (DriverException underTcg) {
                underTcg.addSuppressed(underKvm);
                throw new DriverException(underTcg.getMessage() + " (under TCG; under KVM before: " + why + ")", underTcg);
            }
            return accelerator.demote(accel, "instance " + spec.instanceId() + ": " + why);
        }
    }

    private void defineAndCreate(InstanceSpec spec, AcceleratorProbe accel, boolean define, String what) {
        String instanceId = spec.instanceId();
        Path dir = instanceDir(instanceId);
        String xml = DomainXml.of(spec, domainName(instanceId), deviceId(instanceId), accel.kvm(), dir.resolve(DISK),
                "qcow2", dir.resolve(SEED), dir.resolve(CONSOLE));
        call(what, c -> {
            if (define) {
                // libvirt keeps a name's UUID: a definition for another accelerator replaces the old one whole.
                Optional<Domain> old = find(c, domainName(instanceId));
                if (old.isPresent()) {
                    try {
                        old.get().undefine();
                    } finally {
                        old.get().free();
                    }
                }
                c.domainDefineXML(xml).free();
            }
            return withDomain(c, instanceId, d -> {
                if (d.isActive() == 0) {
                    d.create();
                }
            });
        });
    }

    private boolean definedForKvm(String instanceId, String what) {
        return call(what, c -> {
            Domain d = find(c, domainName(instanceId)).orElseThrow(() -> new NoSuchInstance(
                    "it does not exist on this host (no libvirt domain " + domainName(instanceId) + ")"));
            try {
                return d.getXMLDesc(0).contains("<domain type='kvm'");
            } finally {
                d.free();
            }
        });
    }


    // ---------------------------------------------------------------------------------------------
    // Domains

    @FunctionalInterface
    private interface DomainAction {
        void apply(Domain d) throws LibvirtException;
    }

    /** Whether this driver has files of any instance on this host (it makes them before the domain). */
    private boolean anyInstanceDirectory() {
        if (!Files.isDirectory(stateDir)) {
            return false;
        }
        try (var dirs = Files.list(stateDir)) {
            return dirs.anyMatch(p -> p.getFileName().toString().startsWith(DOMAIN_PREFIX) && Files.isDirectory(p));
        } catch (IOException e) {
            return true;
        }
    }

    private Void withDomain(Connect c, String instanceId, DomainAction action) throws LibvirtException {
        Domain d = find(c, domainName(instanceId)).orElseThrow(() -> new NoSuchInstance(
                "it does not exist on this host (no libvirt domain " + domainName(instanceId) + ")"));
        try {
            action.apply(d);
        } finally {
            d.free();
        }
        return null;
    }

    private static Optional<Domain> find(Connect c, String name) throws LibvirtException {
        try {
            return Optional.of(c.domainLookupByName(name));
        } catch (LibvirtException e) {
            if (noDomain(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean noDomain(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == Error.ErrorNumber.VIR_ERR_NO_DOMAIN;
    }

    /** The instance id in the domain's metadata, or null if the platform did not make the domain. */
    private static String instanceIdOf(Domain d) throws LibvirtException {
        try {
            return DomainXml.instanceId(d.getMetadata(DomainXml.METADATA_ELEMENT, DomainXml.NAMESPACE, 0));
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == Error.ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA) {
                return null;
            }
            throw e;
        }
    }

    /** Present (TRUE) if the platform's domain exists; fails on a same-named domain the platform did not make. */
    private Optional<Boolean> lookup(String instanceId, String what) {
        return call(what, c -> {
            Optional<Domain> d = find(c, domainName(instanceId));
            if (d.isEmpty()) {
                return Optional.<Boolean>empty();
            }
            try {
                if (!instanceId.equals(instanceIdOf(d.get()))) {
                    throw new DriverException(what + ": a libvirt domain named " + domainName(instanceId)
                            + " exists that the platform did not create (no " + DomainXml.NAMESPACE
                            + " metadata); remove or rename it");
                }
                return Optional.of(Boolean.TRUE);
            } finally {
                d.get().free();
            }
        });
    }

    private DomainState state(String instanceId, String what) {
        if (lookup(instanceId, what).isEmpty()) {
            throw new NoSuchInstance(what + ": it does not exist on this host (no libvirt domain "
                    + domainName(instanceId) + ")");
        }
        return call(what, c -> {
            Optional<Domain> d = find(c, domainName(instanceId));
            if (d.isEmpty()) {
                throw new NoSuchInstance(what + ": it does not exist on this host (no libvirt domain "
                        + domainName(instanceId) + ")");
            }
            try {
                return DomainState.of(d.get());
            } finally {
                d.get().free();
            }
        });
    }

    private InstanceStatus status(String instanceId, String what) {
        return toStatus(instanceId, state(instanceId, what));
    }

    /**
     * Maps libvirt's domain state and reason onto the platform's power states:
     * running/blocked: RUNNING; shut off after a guest shutdown, a destroy (forced off, also outside the
     * platform) or never started: STOPPED; shut off because QEMU crashed or failed to start, or crashed:
     * CRASHED; paused, suspended, anything else: UNKNOWN.
     */
    InstanceStatus toStatus(String instanceId, DomainState s) {
        String accel = accelerator.known().map(a -> a.kvm() ? "KVM" : "TCG").orElse("?");
        return switch (s.state()) {
            case DomainState.RUNNING, DomainState.BLOCKED -> new InstanceStatus(instanceId, PowerState.RUNNING,
                    "running (QEMU/" + accel + ", domain " + domainName(instanceId) + ")");
            case DomainState.SHUTDOWN -> new InstanceStatus(instanceId, PowerState.RUNNING, "shutting down");
            case DomainState.PAUSED -> new InstanceStatus(instanceId, PowerState.UNKNOWN,
                    "paused" + (s.reason() == 3 ? " after an I/O error (disk full?)" : " outside the platform"));
            case DomainState.PMSUSPENDED -> new InstanceStatus(instanceId, PowerState.UNKNOWN, "suspended by the guest");
            case DomainState.CRASHED -> new InstanceStatus(instanceId, PowerState.CRASHED, "the guest crashed");
            case DomainState.SHUTOFF -> switch (s.reason()) {
                case 1 -> new InstanceStatus(instanceId, PowerState.STOPPED, "shut down by the guest");
                case 2 -> new InstanceStatus(instanceId, PowerState.STOPPED, "forced off (destroyed)");
                case 3 -> new InstanceStatus(instanceId, PowerState.CRASHED, "the QEMU process exited unexpectedly");
                case 6 -> new InstanceStatus(instanceId, PowerState.CRASHED, "QEMU failed to start");
                case 5 -> new InstanceStatus(instanceId, PowerState.STOPPED, "saved");
                case 8 -> new InstanceStatus(instanceId, PowerState.STOPPED, "stopped by libvirtd");
                default -> new InstanceStatus(instanceId, PowerState.STOPPED, "shut off");
            };
            default -> new InstanceStatus(instanceId, PowerState.UNKNOWN, "libvirt reports state " + s.state());
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Names and validation

    static String domainName(String instanceId) {
        return DOMAIN_PREFIX + instanceId;
    }

    Path instanceDir(String instanceId) {
        return stateDir.resolve(domainName(instanceId));
    }

    /**
     * 10 characters naming the instance's devices: the first 10 hex digits of a platform id (a UUID), or of
     * the id's SHA-256 for other ids.
     */
    static String deviceId(String instanceId) {
        String hex = instanceId.replace("-", "").toLowerCase(Locale.ROOT);
        if (hex.length() >= 10 && hex.substring(0, 10).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return hex.substring(0, 10);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(instanceId.getBytes(StandardCharsets.UTF_8))).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object lock(String instanceId) {
        return locks.computeIfAbsent(instanceId, k -> new Object());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted", e);
        }
    }
}
