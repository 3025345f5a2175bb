package io.goncloud.driver.docker;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.storage.AttachHandle;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.ImageRef;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;
import io.goncloud.driver.compute.common.GuestHostnames;
import io.goncloud.driver.compute.common.HostCommands;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compute driver running each instance as a Docker container named {@code gcp-<instanceId>}.
 *
 * <ul>
 *   <li>Images: format {@value #IMAGE_FORMAT_DOCKER_ROOTFS}; {@code ImageRef.location()} is either the
 *       absolute path of a root file system tarball on this host, built once into the local daemon as
 *       {@code gcp-image:<imageId>} whose command is {@code /sbin/init}, or (not an absolute path) the tag of
 *       an image already in the local daemon. Nothing is ever pulled. The image must define its own command
 *       (CMD or ENTRYPOINT): the driver runs it as is.</li>
 *   <li>Containers: labels {@value #LABEL_MANAGED}=true and {@value #LABEL_INSTANCE_ID}, the spec's labels
 *       under {@value #LABEL_SPEC_PREFIX}; network mode {@code none}; CPU limit (NanoCpus) from vcpus,
 *       capped at the host's CPU count; memory limit from memoryMiB with no swap; no restart policy (the
 *       platform decides). The root disk is capped at rootDiskGiB ({@code --storage-opt size}) where the
 *       daemon's storage can (btrfs with quotas, as {@code scripts/start.sh} sets Docker up; overlay2 on XFS with
 *       project quotas); elsewhere it is not, and the driver says so in its probe and once in its log.</li>
 *   <li>{@link InstanceFiles} (user data, SSH keys, metadata): on a local engine ({@code unix://}) written to
 *       {@code <state.dir>/<owner>/<instanceId>/} and bind-mounted, removed with the container (capped by
 *       {@link FilesQuota} where the state directory is on btrfs with quotas); on a remote one copied in before
 *       the first start.</li>
 *   <li>After every start, {@link NicPlumber} moves the network driver's veth devices into the
 *       container's network namespace as eth0, eth1...; before a graceful stop it hands them back, so the
 *       veth pair survives; after a crash or a stop outside the platform they are gone with the
 *       namespace and the network driver must re-create them before the next start.</li>
 * </ul>
 */
@Component(service = ComputeDriver.class, configurationPid = DockerComputeDriver.PID,
        property = Driver.PROPERTY_DRIVER_NAME + "=" + DockerComputeDriver.NAME)
@Designate(ocd = DockerDriverConfig.class)
public class DockerComputeDriver implements ComputeDriver, AutoCloseable {

    public static final String NAME = "docker";
    public static final String PID = "io.goncloud.driver.docker";
    public static final String VERSION = "0.1.0";
    public static final String IMAGE_FORMAT_DOCKER_ROOTFS = "docker-rootfs";
    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
    public static final String DEFAULT_STATE_DIR = "/var/lib/gcp/docker";

    /** Container name prefix; the rest is the instance id. */
    public static final String CONTAINER_PREFIX = Driver.HOST_NAME_PREFIX + "-";
    public static final String LABEL_MANAGED = "gcp.managed";
    public static final String LABEL_INSTANCE_ID = "gcp.instance-id";
    public static final String LABEL_IMAGE_ID = "gcp.image-id";
    /**
     * Which driver configuration made the container: its host network namespace, or {@code host}. {@link #list}
     * reports only its own, so that a platform never takes the containers of another on the same Docker Engine
     * (a test's, say) for orphans and removes them. (A container from before the label is not listed; its
     * instance, reported missing, is launched again and adopts it by its name.)
     */
    public static final String LABEL_OWNER = "gcp.owner";
    /** The spec's labels are stored on the container under this prefix. */
    public static final String LABEL_SPEC_PREFIX = "gcp.label.";
    /** Repository of the images the driver builds from rootfs tarballs; the tag is the image id. */
    public static final String IMAGE_REPOSITORY = "gcp-image";
    /** Spec label giving the guest's hostname; without it the hostname is the instance id. */
    public static final String SPEC_LABEL_HOSTNAME = GuestHostnames.LABEL;

    private static final Logger LOG = LoggerFactory.getLogger(DockerComputeDriver.class);

    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DOCKER_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** Unpacking a large rootfs can keep the build silent for minutes. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);
    /** A Docker tag: the image id becomes the tag of the image built from its tarball. */
    private static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final long MIB = 1024L * 1024L;
    private static final Duration FILES_GRACE = Duration.ofMinutes(2);
    private static final long MIN_MEMORY_MIB = 6; // the daemon refuses less

    private volatile String dockerHost = DEFAULT_DOCKER_HOST;
    private volatile NicPlumber nics = new NicPlumber("");
    private volatile DockerClient docker;

    /**
     * The console (the container's output) is kept by Docker in its data root, outside the root disk's cap: at
     * most three files of 1 MiB, like virtlogd's rotation of a VM's serial console, so that an instance printing
     * without end cannot fill the worker's disk.
     */
    static final LogConfig CONSOLE_LOG = new LogConfig(LogConfig.LoggingType.JSON_FILE,
            Map.of("max-size", "1m", "max-file", "3"));

    /** One lock per built image tag: concurrent launches of a new image build it once. */
    private final ConcurrentHashMap<String, Object> imageBuilds = new ConcurrentHashMap<>();
    /** Containers created with their files by this driver object and not started yet. */
    /** The {@link #LABEL_OWNER} of this driver's containers. */
    private volatile String owner = "host";
    /** Where the instances' files live, one directory each; {@code null} for a remote engine (files copied in). */
    private volatile Path filesRoot;
    private volatile FilesQuota filesQuota;
    private volatile boolean quotaInconsistent;
    private final Set<String> prepared = ConcurrentHashMap.newKeySet();
    /** The host's CPUs as the daemon reported them; {@code null} until asked. */
    private volatile Integer hostCpus;
    /** Whether the daemon caps a container's disk: {@code null} until a create with a size was answered. */
    private volatile Boolean diskLimits;
    /** Images found to exist and to define a command; a create that no longer finds one forgets it. */
    private final Set<String> checkedImages = ConcurrentHashMap.newKeySet();

    /** For Declarative Services; call {@link #open} to use the class directly. */
    public DockerComputeDriver() {
    }

    /**
     * A driver outside OSGi (tests, tools).
     *
     * @param dockerHost Docker Engine endpoint, e.g. {@value #DEFAULT_DOCKER_HOST}
     * @param hostNetns  named network namespace holding the instance-side veth devices; empty for this
     *                   process's own
     */
    public static DockerComputeDriver open(String dockerHost, String hostNetns) {
        return open(dockerHost, hostNetns, "");
    }

    /** @param owner the {@link #LABEL_OWNER} of this driver's containers; empty: the host namespace, or "host" */
    public static DockerComputeDriver open(String dockerHost, String hostNetns, String owner) {
        return open(dockerHost, hostNetns, owner, DEFAULT_STATE_DIR);
    }

    /** @param stateDir where the instances' files live on this host (a local engine mounts them from there) */
    public static DockerComputeDriver open(String dockerHost, String hostNetns, String owner, String stateDir) {
        DockerComputeDriver driver = new DockerComputeDriver();
        driver.configure(dockerHost, hostNetns, owner, stateDir);
        return driver;
    }

    @Activate
    void activate(DockerDriverConfig config) {
        configure(config.docker_host(), config.host_netns(), config.owner(), config.state_dir());
        LOG.info("Docker compute driver for {} (NICs from {})", dockerHost, nics.hostNetnsDescription());
    }

    @Deactivate
    @Override
    public void close() {
        DockerClient client = docker;
        docker = null;
        if (client != null) {
            try {
                client.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Closing the Docker client failed", e);
            }
        }
    }

    private void configure(String host, String hostNetns, String owner, String stateDir) {
        String h = host == null || host.isBlank() ? DEFAULT_DOCKER_HOST : host.trim();
        this.nics = new NicPlumber(hostNetns);
        this.owner = owner != null && !owner.isBlank() ? owner.strip()
                : this.nics.hostNetns().isEmpty() ? "host" : this.nics.hostNetns();
        String dir = stateDir == null || stateDir.isBlank() ? DEFAULT_STATE_DIR : stateDir.strip();
        // Bind mounts name paths on the engine's host: only a local engine sees this host's files.
        this.filesRoot = h.startsWith("unix://")
                ? Path.of(dir).resolve(this.owner.replaceAll("[^A-Za-z0-9_.-]", "_")) : null;
        this.filesQuota = filesRoot == null ? null : new FilesQuota(filesRoot);
        this.dockerHost = h;
        this.docker = client(h, CONNECT_TIMEOUT, RESPONSE_TIMEOUT);
    }

    private static DockerClient client(String host, Duration connect, Duration response) {
        DockerClientConfig config = new DefaultDockerClientConfig.Builder()
                .withDockerHost(host)
                .withDockerTlsVerify(false)
                .build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(connect)
                .responseTimeout(response)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    private DockerClient docker() {
        DockerClient client = docker;
        if (client == null) {
            throw new DriverException("the Docker compute driver is not active");
        }
        return client;
    }

    // ---------------------------------------------------------------------------------------------
    // Driver

    @Override
    public DriverInfo info() {
        return new DriverInfo(NAME, DriverKind.COMPUTE, VERSION, Set.of(IMAGE_FORMAT + IMAGE_FORMAT_DOCKER_ROOTFS,
                VOLUMES_AS_FILE_SYSTEMS));
    }

    @Override
    public HealthReport probe() {
        String daemon;
        try (DockerClient client = client(dockerHost, PROBE_TIMEOUT, PROBE_TIMEOUT)) {
            client.pingCmd().exec();
            Version v = client.versionCmd().exec();
            Info info = client.infoCmd().exec();
            String storage = info.getDriver();
            daemon = "Docker Engine " + v.getVersion() + " (API " + v.getApiVersion() + ") at " + dockerHost
                    + ", storage " + storage + (Boolean.FALSE.equals(diskLimits) ? " (root disks not capped)"
                    : Boolean.TRUE.equals(diskLimits) ? " (root disks capped)" : "")
                    + filesDescription() + quotaWarning(storage, info.getDockerRootDir());
        } catch (DockerException e) {
            return HealthReport.unusable("the Docker daemon at " + dockerHost + " refused the version check: "
                    + describe(e));
        } catch (IOException | RuntimeException e) {
            return HealthReport.unusable("the Docker daemon at " + dockerHost + " does not answer ("
                    + rootMessage(e) + ")");
        }
        try {
            HostCommands.Result ip = HostCommands.run(List.of("ip", "-V"));
            HostCommands.Result nsenter = HostCommands.run(List.of("nsenter", "--version"));
            if (!ip.ok() || !nsenter.ok()) {
                return HealthReport.unusable(daemon + ", but NICs cannot be attached: "
                        + (!ip.ok() ? ip.describe() : nsenter.describe()));
            }
        } catch (DriverException e) {
            return HealthReport.unusable(daemon + ", but NICs cannot be attached: " + e.getMessage());
        }
        String capabilities = missingCapabilities();
        if (capabilities != null) {
            return HealthReport.unusable(daemon + ", but " + capabilities);
        }
        String netns = nics.checkHostNamespace();
        if (netns != null) {
            return HealthReport.unusable(daemon + ", but " + netns);
        }
        return HealthReport.ok(daemon + "; NICs from " + nics.hostNetnsDescription());
    }

    /** Moving devices between namespaces needs CAP_NET_ADMIN and CAP_SYS_ADMIN (nsenter). */
    private static String missingCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    boolean netAdmin = (caps & (1L << 12)) != 0;
                    boolean sysAdmin = (caps & (1L << 21)) != 0;
                    return netAdmin && sysAdmin ? null
                            : "the platform lacks CAP_NET_ADMIN/CAP_SYS_ADMIN (not root?): NICs cannot be attached";
                }
            }
        } catch (IOException | RuntimeException e) {
            return "cannot read the process's capabilities: " + e.getMessage();
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------
    // ComputeDriver

    /**
     * Creates the container, copies the instance's files in and starts it, while the network driver prepares the
     * port: a container can take its NICs once it runs (its network namespace stays empty until then, and the
     * platform's images wait for {@code eth0}). {@link #launch} then moves the NICs in.
     */
    @Override
    public void prepare(InstanceSpec spec) {
        String instanceId = validate(spec);
        String what = "Cannot prepare instance " + instanceId;
        Optional<InspectContainerResponse> existing = inspectContainer(instanceId, what);
        String containerId = existing.isPresent() ? existing.get().getId() : create(spec, what);
        if (existing.isEmpty() || "created".equals(existing.get().getState().getStatus())) {
            if (existing.isPresent() && filesRoot != null) {
                writeFiles(spec, what);
            }
            try {
                docker().startContainerCmd(containerId).exec();
                prepared.remove(containerId);
            } catch (NotModifiedException e) {
                // started meanwhile
            } catch (RuntimeException e) {
                throw failure(what + ": Docker could not start the container", e);
            }
        }
    }

    @Override
    public InstanceStatus launch(InstanceSpec spec) {
        String instanceId = validate(spec);
        String what = "Cannot launch instance " + instanceId;
        Optional<InspectContainerResponse> existing = inspectContainer(instanceId, what);
        String containerId;
        if (existing.isPresent()) {
            containerId = existing.get().getId();
            // A container never started may come from a launch interrupted before its files were in place:
            // mounted ones are written again; copied ones copied again, unless this driver's prepare() just did.
            if ("created".equals(existing.get().getState().getStatus()) && filesRoot != null) {
                writeFiles(spec, what);
            } else if ("created".equals(existing.get().getState().getStatus()) && !prepared.remove(containerId)) {
                try {
                    copyFiles(containerId, spec, hostname(spec));
                } catch (RuntimeException e) {
                    throw failure(what + ": could not copy user data, SSH keys and metadata into the container", e);
                }
            }
            if (!"created".equals(existing.get().getState().getStatus())) {
                // launched before (or prepared): left as is, started if stopped
                return start(spec, existing.get(), "Cannot start instance " + instanceId);
            }
        } else {
            containerId = create(spec, what);
            prepared.remove(containerId);
        }
        String step = "Docker could not start the container";
        try {
            docker().startContainerCmd(containerId).exec();
            step = "could not attach its network interfaces";
            return attachNics(spec, docker().inspectContainerCmd(containerId).exec());
        } catch (RuntimeException e) {
            DriverException failure = failure(what + ": " + step, e);
            removeAfterFailure(instanceId, containerId, failure);
            throw failure;
        }
    }

    /** Creates the container with the instance's files in it; returns its id. On failure nothing is left. */
    private String create(InstanceSpec spec, String what) {
        String instanceId = spec.instanceId();
        String name = containerName(instanceId);
        String image = checkedImage(spec, what);
        List<Bind> binds = new ArrayList<>();
        if (filesRoot != null) {
            // The directories live as long as the container, like its disk: one re-created after the last vanished
            // (removed by hand) starts from fresh files, so that its image's init runs the user data again.
            removeFiles(instanceId);
            for (InstanceFiles.Mount m : writeFiles(spec, what)) {
                binds.add(new Bind(m.hostDir().toString(), new Volume(m.containerDir()), AccessMode.rw));
            }
        }
        HostConfig host = HostConfig.newHostConfig()
                .withBinds(binds)
                .withNetworkMode("none")
                .withNanoCPUs(nanoCpus(spec.vcpus(), what))
                .withMemory(spec.memoryMiB() * MIB)
                .withMemorySwap(spec.memoryMiB() * MIB)
                .withPidsLimit(pidsLimit(spec.memoryMiB()))
                .withRestartPolicy(RestartPolicy.noRestart())
                .withLogConfig(CONSOLE_LOG);
        String containerId;
        try {
            containerId = createWithDiskLimit(image, name, spec, host);
        } catch (NotFoundException e) {
            // The image went since it was checked (removed by hand): checked again (a rootfs one is rebuilt).
            checkedImages.remove(image);
            image = checkedImage(spec, what);
            try {
                containerId = createContainer(image, name, spec, host);
            } catch (RuntimeException again) {
                throw failure(what + ": Docker could not create container " + name, again);
            }
        } catch (ConflictException e) {
            LOG.info("Instance {}: container {} was created concurrently; using it", instanceId, name);
            return existing(instanceId, what).getId();
        } catch (RuntimeException e) {
            throw failure(what + ": Docker could not create container " + name, e);
        }
        LOG.info("Instance {}: created container {} ({}) from {}", instanceId, name, shortId(containerId), image);
        if (filesRoot != null) {
            return containerId; // its files are mounted
        }
        try {
            copyFiles(containerId, spec, hostname(spec));
        } catch (RuntimeException e) {
            DriverException failure = failure(what + ": could not copy user data, SSH keys and metadata into the "
                    + "container", e);
            removeAfterFailure(instanceId, containerId, failure);
            throw failure;
        }
        prepared.add(containerId);
        return containerId;
    }

    /**
     * Creates the container with its disk capped at the spec's size if the daemon's storage can cap it. A daemon
     * that cannot refuses the option (overlay2 on ext4, say): then the container is created uncapped, and so are
     * later ones (the daemon is asked once).
     */
    private String createWithDiskLimit(String image, String name, InstanceSpec spec, HostConfig host) {
        if (spec.rootDiskGiB() <= 0 || Boolean.FALSE.equals(diskLimits)) {
            return createContainer(image, name, spec, host);
        }
        try {
            String id = createContainer(image, name, spec, host.withStorageOpt(Map.of("size", spec.rootDiskGiB() + "G")));
            diskLimits = true;
            return id;
        } catch (BadRequestException | InternalServerErrorException e) {
            if (!String.valueOf(e.getMessage()).contains("storage-opt") && !String.valueOf(e.getMessage()).contains("quota")) {
                throw e;
            }
            diskLimits = false;
            LOG.warn("Docker cannot cap container disks on this host ({}): instances' root disks are not limited "
                    + "(scripts/start.sh runs Docker on btrfs with quotas, which can)", describe(e));
            return createContainer(image, name, spec, host.withStorageOpt(null));
        }
    }

    private String createContainer(String image, String name, InstanceSpec spec, HostConfig host) {
        return docker().createContainerCmd(image)
                .withName(name)
                .withHostName(hostname(spec))
                .withLabels(labels(spec))
                .withHostConfig(host)
                .exec()
                .getId();
    }

    /** The local image of the spec, known to exist and to define a command (looked at once per driver). */
    private String checkedImage(InstanceSpec spec, String what) {
        String image = localImage(spec, what);
        if (!checkedImages.contains(image)) {
            image(image, spec, what);
            checkedImages.add(image);
        }
        return image;
    }

    private void removeAfterFailure(String instanceId, String containerId, DriverException failure) {
        prepared.remove(containerId);
        try {
            docker().removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
            LOG.info("Instance {}: removed container {} after the failed launch", instanceId, containerName(instanceId));
        } catch (NotFoundException gone) {
            // nothing left
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
        try {
            removeFiles(instanceId); // written by create(): they go with the container it made
        } catch (DriverException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    /**
     * Writes the instance's files where its container mounts them from. Done before every start too: a start
     * whose mount source is missing would have the daemon create a directory in its place.
     */
    private List<InstanceFiles.Mount> writeFiles(InstanceSpec spec, String what) {
        try {
            return InstanceFiles.write(filesRoot.resolve(spec.instanceId()), spec, hostname(spec), filesQuota);
        } catch (java.io.UncheckedIOException e) {
            throw new DriverException(what + ": " + e.getMessage() + " (" + e.getCause().getMessage() + ")", e);
        }
    }

    private void copyFiles(String containerId, InstanceSpec spec, String hostname) {
        docker().copyArchiveToContainerCmd(containerId)
                .withRemotePath("/")
                .withTarInputStream(new ByteArrayInputStream(InstanceFiles.archive(spec, hostname)))
                .exec();
    }

    @Override
    public InstanceStatus start(InstanceSpec spec) {
        String instanceId = validate(spec);
        String what = "Cannot start instance " + instanceId;
        return start(spec, existing(instanceId, what), what);
    }

    private InstanceStatus start(InstanceSpec spec, InspectContainerResponse container, String what) {
        String instanceId = spec.instanceId();
        boolean startedNow = false;
        if (Boolean.TRUE.equals(container.getState().getPaused())) {
            throw new DriverException(what + ": its container " + containerName(instanceId)
                    + " was paused outside the platform; unpause or stop it first");
        }
        if (!Boolean.TRUE.equals(container.getState().getRunning())) {
            if (filesRoot != null) {
                writeFiles(spec, what);
            }
            try {
                docker().startContainerCmd(container.getId()).exec();
                startedNow = true;
            } catch (NotModifiedException e) {
                // started meanwhile
            } catch (RuntimeException e) {
                throw failure(what + ": Docker could not start container " + containerName(instanceId), e);
            }
            LOG.info("Instance {}: started container {}", instanceId, containerName(instanceId));
            container = inspectExisting(container.getId(), what);
        }
        try {
            return attachNics(spec, container);
        } catch (RuntimeException e) {
            DriverException failure = failure(what + ": could not attach its network interfaces", e);
            if (startedNow) {
                // Undo this call's start: an instance without its network is not started.
                try {
                    docker().killContainerCmd(container.getId()).exec();
                    failure = new DriverException(failure.getMessage() + " (the container was stopped again)",
                            failure.getCause());
                } catch (RuntimeException kill) {
                    failure.addSuppressed(kill);
                }
            }
            throw failure;
        }
    }

    /**
     * Attaches the NICs if the container runs, and returns its status. A container that exits before or
     * while its NICs are attached is not an attach failure: its status (with the exit reason) is returned.
     */
    private InstanceStatus attachNics(InstanceSpec spec, InspectContainerResponse container) {
        String instanceId = spec.instanceId();
        Long pid = container.getState().getPidLong();
        if (!isRunning(container) || pid == null || pid <= 0) {
            return status(instanceId, container);
        }
        try {
            nics.attach(instanceId, pid, spec.nics());
        } catch (DriverException e) {
            Optional<InspectContainerResponse> now = inspectContainer(instanceId, "Cannot inspect instance " + instanceId);
            if (now.isPresent() && !isRunning(now.get())) {
                return status(instanceId, now.get());
            }
            throw e;
        }
        return status(instanceId, container);
    }

    /** Mounts the volume's file system at {@code target} in the running container ({@link VolumeMounts}). */
    @Override
    public void attachVolume(String instanceId, AttachHandle handle, String target) {
        checkInstanceId(instanceId);
        if (handle.kind() != AttachHandle.Kind.BLOCK_DEVICE) {
            throw new DriverException("a container takes a volume as a block device, not as " + handle.kind());
        }
        VolumeMounts.checkTarget(target);
        runningPid(instanceId, "Cannot attach volume " + handle.volumeId() + " to instance " + instanceId)
                .ifPresent(pid -> VolumeMounts.mount(pid, handle.path(), handle.volumeId(), target));
    }

    @Override
    public void detachVolume(String instanceId, String volumeId, String target) {
        checkInstanceId(instanceId);
        VolumeMounts.checkTarget(target);
        runningPid(instanceId, "Cannot detach volume " + volumeId + " from instance " + instanceId)
                .ifPresent(pid -> VolumeMounts.unmount(pid, target));
    }

    /** The running container's init process, or empty when the instance is stopped or gone. */
    private Optional<Long> runningPid(String instanceId, String what) {
        return inspectContainer(instanceId, what).filter(DockerComputeDriver::isRunning)
                .map(c -> c.getState().getPidLong()).filter(pid -> pid != null && pid > 0);
    }

    @Override
    public InstanceStatus stop(String instanceId, Duration grace) {
        checkInstanceId(instanceId);
        String what = "Cannot stop instance " + instanceId;
        InspectContainerResponse container = existing(instanceId, what);
        if (isRunning(container) || Boolean.TRUE.equals(container.getState().getPaused())) {
            Long pid = container.getState().getPidLong();
            if (pid != null && pid > 0) {
                List<String> handedBack = nics.detach(instanceId, pid);
                if (!handedBack.isEmpty()) {
                    LOG.info("Instance {}: handed {} back to {}", instanceId, handedBack, nics.hostNetnsDescription());
                }
            }
            int seconds = graceSeconds(grace);
            Duration needed = Duration.ofSeconds(seconds).plus(Duration.ofSeconds(30));
            try {
                if (needed.compareTo(RESPONSE_TIMEOUT) <= 0) {
                    docker().stopContainerCmd(container.getId()).withTimeout(seconds).exec();
                } else {
                    try (DockerClient slow = client(dockerHost, CONNECT_TIMEOUT, needed)) {
                        slow.stopContainerCmd(container.getId()).withTimeout(seconds).exec();
                    }
                }
            } catch (NotModifiedException e) {
                // stopped meanwhile
            } catch (IOException | RuntimeException e) {
                throw failure(what + ": Docker could not stop container " + containerName(instanceId), e);
            }
            LOG.info("Instance {}: stopped container {} (grace {} s)", instanceId, containerName(instanceId), seconds);
            container = inspectExisting(container.getId(), what);
        }
        return status(instanceId, container);
    }

    @Override
    public InstanceStatus reboot(InstanceSpec spec, Duration grace) {
        String instanceId = validate(spec);
        existing(instanceId, "Cannot reboot instance " + instanceId);
        stop(instanceId, grace);
        return start(spec);
    }

    @Override
    public void destroy(String instanceId) {
        checkInstanceId(instanceId);
        String name = containerName(instanceId);
        Optional<InspectContainerResponse> container = inspectContainer(instanceId, "Cannot destroy instance " + instanceId);
        if (container.isEmpty()) {
            removeFiles(instanceId);
            return;
        }
        try {
            docker().removeContainerCmd(container.get().getId()).withForce(true).withRemoveVolumes(true).exec();
            LOG.info("Instance {}: removed container {}", instanceId, name);
        } catch (NotFoundException e) {
            // gone meanwhile
        } catch (ConflictException e) {
            // "removal already in progress": wait for it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (inspectContainer(instanceId, "Cannot destroy instance " + instanceId).isPresent()) {
                if (System.nanoTime() > deadline) {
                    throw failure("Cannot destroy instance " + instanceId + ": container " + name
                            + " is still being removed after 30 s", e);
                }
                sleep(200);
            }
        } catch (RuntimeException e) {
            throw failure("Cannot destroy instance " + instanceId + ": Docker could not remove container " + name, e);
        }
        removeFiles(instanceId);
    }

    /**
     * Caps that btrfs may not be enforcing: with its quota data inconsistent it can stop accounting altogether
     * (seen here after quota groups were destroyed), silently, until a rescan. Said in the probe and logged once.
     */
    private String quotaWarning(String storage, String rootDir) {
        boolean inconsistent = "btrfs".equals(storage) && dockerHost.startsWith("unix://") && rootDir != null
                && Boolean.TRUE.equals(diskLimits) && FilesQuota.inconsistent(Path.of(rootDir));
        if (inconsistent != quotaInconsistent) {
            quotaInconsistent = inconsistent;
            if (inconsistent) {
                LOG.warn("The btrfs quota data of {} is inconsistent: disks may not be capped until "
                        + "`btrfs quota rescan -w {}` (scripts/start.sh runs it)", rootDir, rootDir);
            }
        }
        return inconsistent ? "; btrfs quota data inconsistent: disks may not be capped until `btrfs quota rescan -w "
                + rootDir + "`" : "";
    }

    /** How the instances' mounted file directories are capped, once known (after the first launch). */
    private String filesDescription() {
        Boolean capped = filesQuota == null ? null : filesQuota.capped();
        return capped == null ? "" : capped ? ", instance files capped at " + FilesQuota.LIMIT_MIB + " MiB"
                : ", instance files not capped";
    }

    private void removeFiles(String instanceId) {
        if (filesRoot != null) {
            try {
                InstanceFiles.remove(filesRoot.resolve(instanceId));
            } catch (java.io.UncheckedIOException e) {
                throw new DriverException("Cannot destroy instance " + instanceId + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Removes the file directories of instances that have no container any more (removed outside the platform,
     * or a launch that failed before its container existed). Young directories are left alone: a launch writes
     * the files just before it creates the container.
     */
    private void removeFilesOfGone(Set<String> present) {
        if (filesRoot == null || !Files.isDirectory(filesRoot)) {
            return;
        }
        java.time.Instant young = java.time.Instant.now().minus(FILES_GRACE);
        try (var dirs = Files.list(filesRoot)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String id = dir.getFileName().toString();
                if (!present.contains(id) && INSTANCE_ID.matcher(id).matches()
                        && Files.getLastModifiedTime(dir).toInstant().isBefore(young)) {
                    InstanceFiles.remove(dir);
                    LOG.info("Instance {}: removed its files, its container is gone", id);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.debug("Files of gone instances not removed: {}", e.toString());
        }
    }

    @Override
    public Optional<InstanceStatus> inspect(String instanceId) {
        checkInstanceId(instanceId);
        return inspectContainer(instanceId, "Cannot inspect instance " + instanceId)
                .map(c -> status(instanceId, c));
    }

    @Override
    public List<InstanceStatus> list() {
        List<Container> containers;
        try {
            containers = docker().listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(LABEL_MANAGED, "true"))
                    .exec();
        } catch (RuntimeException e) {
            throw failure("Cannot list instances: Docker could not list the containers", e);
        }
        List<InstanceStatus> result = new ArrayList<>();
        Set<String> present = new java.util.HashSet<>();
        for (Container c : containers) {
            String instanceId = c.getLabels() == null ? null : c.getLabels().get(LABEL_INSTANCE_ID);
            String madeBy = c.getLabels() == null ? null : c.getLabels().get(LABEL_OWNER);
            if (instanceId == null || !owner.equals(madeBy)) {
                continue;
            }
            present.add(instanceId);
            try {
                result.add(status(instanceId, docker().inspectContainerCmd(c.getId()).exec()));
            } catch (NotFoundException e) {
                // removed meanwhile
            } catch (RuntimeException e) {
                throw failure("Cannot list instances: Docker could not inspect container " + c.getId(), e);
            }
        }
        removeFilesOfGone(present);
        return result;
    }

    @Override
    public String consoleOutput(String instanceId, int maxBytes) {
        checkInstanceId(instanceId);
        String what = "Cannot read the console output of instance " + instanceId;
        InspectContainerResponse container = existing(instanceId, what);
        if (maxBytes <= 0) {
            return "";
        }
        TailBuffer tail = new TailBuffer(maxBytes);
        try {
            // Every log line has at least one byte: the last maxBytes lines hold the last maxBytes bytes.
            ResultCallback.Adapter<Frame> callback = docker().logContainerCmd(container.getId())
                    .withStdOut(true)
                    .withStdErr(true)
                    .withFollowStream(false)
                    .withTail(maxBytes)
                    .exec(new ResultCallback.Adapter<>() {
                        @Override
                        public void onNext(Frame frame) {
                            tail.write(frame.getPayload());
                        }
                    });
            if (!callback.awaitCompletion(60, TimeUnit.SECONDS)) {
                callback.close();
                throw new DriverException(what + ": Docker did not send the container's log within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException(what + ": interrupted", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof DriverException d) {
                throw d;
            }
            throw failure(what + ": Docker could not read the log of container " + containerName(instanceId), e);
        }
        return tail.toUtf8();
    }

    // ---------------------------------------------------------------------------------------------
    // Status

    private static boolean isRunning(InspectContainerResponse c) {
        InspectContainerResponse.ContainerState s = c.getState();
        return Boolean.TRUE.equals(s.getRunning()) && !Boolean.TRUE.equals(s.getPaused())
                && !Boolean.TRUE.equals(s.getRestarting());
    }

    private static InstanceStatus status(String instanceId, InspectContainerResponse c) {
        InspectContainerResponse.ContainerState s = c.getState();
        Long memory = c.getHostConfig() == null ? null : c.getHostConfig().getMemory();
        return status(instanceId, s.getStatus(), Boolean.TRUE.equals(s.getRunning()), Boolean.TRUE.equals(s.getPaused()),
                Boolean.TRUE.equals(s.getRestarting()), Boolean.TRUE.equals(s.getOOMKilled()),
                Boolean.TRUE.equals(s.getDead()), s.getExitCodeLong() == null ? 0 : s.getExitCodeLong(),
                s.getError(), s.getPidLong() == null ? 0 : s.getPidLong(), memory == null ? 0 : memory);
    }

    /**
     * Maps a container's state onto the platform's power states.
     * <ul>
     *   <li>running: RUNNING (detail names the init process, whose network namespace holds the NICs);</li>
     *   <li>exited with 0, or by SIGHUP/SIGINT/SIGKILL/SIGTERM (a stop, also one from outside the
     *       platform such as {@code docker kill}), or created and never started: STOPPED;</li>
     *   <li>killed by the OOM killer, any other non-zero exit, a start error, dead: CRASHED;</li>
     *   <li>paused, restarting, being removed (all done outside the platform), anything else: UNKNOWN.</li>
     * </ul>
     */
    static InstanceStatus status(String instanceId, String state, boolean running, boolean paused, boolean restarting,
                                 boolean oomKilled, boolean dead, long exitCode, String error, long pid,
                                 long memoryBytes) {
        String st = state == null ? "" : state.toLowerCase(Locale.ROOT);
        if (paused || "paused".equals(st)) {
            return new InstanceStatus(instanceId, PowerState.UNKNOWN, "paused outside the platform");
        }
        if (restarting || "restarting".equals(st)) {
            return new InstanceStatus(instanceId, PowerState.UNKNOWN,
                    "restarting (a restart policy was set outside the platform)");
        }
        if (running || "running".equals(st)) {
            return new InstanceStatus(instanceId, PowerState.RUNNING,
                    "running, init pid " + pid + " (network namespace /proc/" + pid + "/ns/net)");
        }
        if (dead || "dead".equals(st)) {
            return new InstanceStatus(instanceId, PowerState.CRASHED,
                    "dead: Docker could not stop or remove the container" + (blank(error) ? "" : ": " + error));
        }
        if ("removing".equals(st)) {
            return new InstanceStatus(instanceId, PowerState.UNKNOWN, "being removed");
        }
        if ("created".equals(st)) {
            return blank(error)
                    ? new InstanceStatus(instanceId, PowerState.STOPPED, "created, never started")
                    : new InstanceStatus(instanceId, PowerState.CRASHED, "failed to start: " + error);
        }
        if (!"exited".equals(st)) {
            return new InstanceStatus(instanceId, PowerState.UNKNOWN, "Docker reports state '" + state + "'");
        }
        if (oomKilled) {
            return new InstanceStatus(instanceId, PowerState.CRASHED, "out of memory: killed by the kernel's OOM killer"
                    + (memoryBytes > 0 ? " at its limit of " + memoryBytes / MIB + " MiB" : "")
                    + " (exit code " + exitCode + ")");
        }
        if (!blank(error)) {
            return new InstanceStatus(instanceId, PowerState.CRASHED, "failed to start: " + error);
        }
        if (exitCode == 0) {
            return new InstanceStatus(instanceId, PowerState.STOPPED, "exited normally (exit code 0)");
        }
        if (exitCode > 128 && exitCode < 128 + 65) {
            int signal = (int) (exitCode - 128);
            String name = signalName(signal);
            boolean stopSignal = signal == 1 || signal == 2 || signal == 9 || signal == 15;
            return new InstanceStatus(instanceId, stopSignal ? PowerState.STOPPED : PowerState.CRASHED,
                    (stopSignal ? "stopped by signal " : "killed by signal ") + name + " (exit code " + exitCode + ")");
        }
        return new InstanceStatus(instanceId, PowerState.CRASHED, "exited with code " + exitCode);
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 10 -> "SIGUSR1";
            case 11 -> "SIGSEGV";
            case 12 -> "SIGUSR2";
            case 13 -> "SIGPIPE";
            case 14 -> "SIGALRM";
            case 15 -> "SIGTERM";
            default -> Integer.toString(signal);
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    static String containerName(String instanceId) {
        return CONTAINER_PREFIX + instanceId;
    }

    private static void checkInstanceId(String instanceId) {
        if (instanceId == null || !INSTANCE_ID.matcher(instanceId).matches()) {
            throw new DriverException("'" + instanceId + "' is not a valid instance id for a container name "
                    + "(letters, digits, '_', '.', '-', at most 128)");
        }
    }

    private static String validate(InstanceSpec spec) {
        if (spec == null) {
            throw new DriverException("no instance spec");
        }
        checkInstanceId(spec.instanceId());
        String what = "Instance " + spec.instanceId() + ": ";
        if (spec.image() == null || blank(spec.image().location())) {
            throw new DriverException(what + "no image location (a rootfs tarball's absolute path or a local Docker "
                    + "image tag) was given");
        }
        if (spec.image().format() != null && !IMAGE_FORMAT_DOCKER_ROOTFS.equals(spec.image().format())) {
            throw new DriverException(what + "image " + spec.image().imageId() + " has format '" + spec.image().format()
                    + "'; the Docker compute driver boots only " + IMAGE_FORMAT_DOCKER_ROOTFS);
        }
        if (spec.vcpus() < 1) {
            throw new DriverException(what + "vcpus must be at least 1, not " + spec.vcpus());
        }
        if (spec.memoryMiB() < MIN_MEMORY_MIB) {
            throw new DriverException(what + "memory must be at least " + MIN_MEMORY_MIB + " MiB, not "
                    + spec.memoryMiB());
        }
        for (int i = 0; i < spec.nics().size(); i++) {
            try {
                NicPlumber.validate(i, spec.nics().get(i));
            } catch (DriverException e) {
                throw new DriverException(what + e.getMessage());
            }
        }
        hostname(spec);
        return spec.instanceId();
    }

    static String hostname(InstanceSpec spec) {
        return GuestHostnames.of(spec);
    }

    private Map<String, String> labels(InstanceSpec spec) {
        Map<String, String> labels = new HashMap<>();
        spec.labels().forEach((k, v) -> labels.put(LABEL_SPEC_PREFIX + k, v));
        labels.put(LABEL_MANAGED, "true");
        labels.put(LABEL_OWNER, owner);
        labels.put(LABEL_INSTANCE_ID, spec.instanceId());
        if (spec.image().imageId() != null) {
            labels.put(LABEL_IMAGE_ID, spec.image().imageId());
        }
        return labels;
    }

    /**
     * The local image to create the container from: for a location that is an absolute path, the image built
     * from that rootfs tarball (built now if this host does not have it yet); otherwise the location itself,
     * a tag already in the local daemon.
     */
    private String localImage(InstanceSpec spec, String what) {
        ImageRef ref = spec.image();
        if (!ref.location().startsWith("/")) {
            return ref.location();
        }
        if (ref.imageId() == null || !IMAGE_TAG.matcher(ref.imageId()).matches()) {
            throw new DriverException(what + ": image id '" + ref.imageId() + "' cannot name a Docker image "
                    + "(letters, digits, '_', '.', '-', at most 128)");
        }
        String tag = IMAGE_REPOSITORY + ":" + ref.imageId();
        if (checkedImages.contains(tag)) {
            return tag;
        }
        synchronized (imageBuilds.computeIfAbsent(tag, t -> new Object())) {
            try {
                docker().inspectImageCmd(tag).exec();
                return tag;
            } catch (NotFoundException e) {
                buildImage(tag, ref, what);
                return tag;
            } catch (RuntimeException e) {
                throw failure(what + ": Docker could not inspect image " + tag, e);
            }
        }
    }

    /** Builds {@code tag} from the rootfs tarball at the image's location, streamed to the daemon. */
    private void buildImage(String tag, ImageRef ref, String what) {
        Path tarball = Path.of(ref.location());
        String cannot = what + ": cannot build image " + ref.imageId() + " from its root file system tarball " + tarball;
        if (!Files.isRegularFile(tarball)) {
            throw new DriverException(cannot + ": the file does not exist on this host");
        }
        long started = System.nanoTime();
        String imageId;
        try (InputStream context = RootfsBuildContext.open(tarball);
             DockerClient slow = client(dockerHost, CONNECT_TIMEOUT, BUILD_TIMEOUT)) {
            imageId = slow.buildImageCmd(context)
                    .withTags(Set.of(tag))
                    .withLabels(Map.of(LABEL_MANAGED, "true", LABEL_IMAGE_ID, ref.imageId()))
                    .withPull(false)
                    // No build cache: looking for a cached FROM scratch step reads every image in the daemon,
                    // and one removed meanwhile (docker rmi) fails the build with "failed to get digest ...".
                    // Each image is built once anyway.
                    .withNoCache(true)
                    .withRemove(true)
                    .withForcerm(true)
                    .exec(new BuildImageResultCallback())
                    .awaitImageId(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new DriverException(cannot + ": " + e.getMessage(), e);
        } catch (DockerClientException e) {
            // The build's own error ("Could not build image: ..."), sent in the response stream.
            throw new DriverException(cannot + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw failure(cannot, e);
        }
        LOG.info("Built image {} ({}) from {} in {} ms", tag, shortId(imageId), tarball,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** The image, which must be in the local daemon and have a command; never pulled. */
    private InspectImageResponse image(String location, InstanceSpec spec, String what) {
        InspectImageResponse image;
        try {
            image = docker().inspectImageCmd(location).exec();
        } catch (NotFoundException e) {
            throw new DriverException(what + ": image " + describeImage(spec) + " is not imported on this host "
                    + "(docker-rootfs images are imported into the local Docker daemon, never pulled)");
        } catch (RuntimeException e) {
            throw failure(what + ": Docker could not inspect image " + describeImage(spec), e);
        }
        ContainerConfig config = image.getConfig();
        boolean hasCommand = config != null && (nonEmpty(config.getCmd()) || nonEmpty(config.getEntrypoint()));
        if (!hasCommand) {
            throw new DriverException(what + ": image " + describeImage(spec) + " defines no command (CMD or "
                    + "ENTRYPOINT); a docker-rootfs image must say what the instance runs");
        }
        return image;
    }

    private static String describeImage(InstanceSpec spec) {
        String location = spec.image().location();
        return spec.image().imageId() == null || spec.image().imageId().equals(location)
                ? "'" + location + "'" : spec.image().imageId() + " ('" + location + "')";
    }

    static final int MIN_PIDS = 256;

    /**
     * Processes and threads an instance may have: one per MiB of its memory, at least {@value #MIN_PIDS}. The host's
     * process ids are shared by every instance (32768 on a stock kernel): without a limit, one instance's fork bomb
     * would leave none for the others or for the worker itself.
     */
    static long pidsLimit(int memoryMiB) {
        return Math.max(MIN_PIDS, memoryMiB);
    }

    /** NanoCpus for the vcpus, capped at the host's CPUs (a limit above them limits nothing, and Docker refuses it). */
    private long nanoCpus(int vcpus, String what) {
        Integer hostCpus = this.hostCpus;
        if (hostCpus == null) {
            // Asked once: `docker info` costs the daemon tens of milliseconds, and a host's CPUs stay.
            try {
                Integer n = docker().infoCmd().exec().getNCPU();
                hostCpus = n == null || n < 1 ? vcpus : n;
            } catch (RuntimeException e) {
                throw failure(what + ": Docker could not report the host's CPUs", e);
            }
            this.hostCpus = hostCpus;
        }
        if (vcpus > hostCpus) {
            LOG.info("{}: {} vCPUs asked, limited to the host's {} CPUs", what.replace("Cannot launch", "Launching"),
                    vcpus, hostCpus);
        }
        return Math.min(vcpus, hostCpus) * 1_000_000_000L;
    }

    private Optional<InspectContainerResponse> inspectContainer(String instanceId, String what) {
        String name = containerName(instanceId);
        InspectContainerResponse c;
        try {
            c = docker().inspectContainerCmd(name).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw failure(what + ": Docker could not inspect container " + name, e);
        }
        Map<String, String> labels = c.getConfig() == null ? null : c.getConfig().getLabels();
        if (labels == null || !"true".equals(labels.get(LABEL_MANAGED))) {
            throw new DriverException(what + ": a container named " + name + " exists that the platform did not "
                    + "create (no label " + LABEL_MANAGED + "=true); remove or rename it");
        }
        return Optional.of(c);
    }

    private InspectContainerResponse existing(String instanceId, String what) {
        return inspectContainer(instanceId, what).orElseThrow(() -> new DriverException(what
                + ": it does not exist on this host (no container " + containerName(instanceId) + ")"));
    }

    private InspectContainerResponse inspectExisting(String containerId, String what) {
        try {
            return docker().inspectContainerCmd(containerId).exec();
        } catch (RuntimeException e) {
            throw failure(what + ": Docker could not inspect container " + shortId(containerId), e);
        }
    }

    private static int graceSeconds(Duration grace) {
        if (grace == null || grace.isNegative() || grace.isZero()) {
            return 0;
        }
        long seconds = grace.toSeconds() + (grace.getNano() == 0 ? 0 : 1); // a fraction rounds up
        return (int) Math.min(seconds, Integer.MAX_VALUE);
    }

    /** A DriverException whose message says what failed and why, in words; the cause is kept. */
    private DriverException failure(String what, Throwable e) {
        if (e instanceof DriverException d) {
            return new DriverException(what + ": " + d.getMessage(), d.getCause() == null ? d : d.getCause());
        }
        return new DriverException(what + ": " + describe(e), e);
    }

    /** The daemon's own message for API errors; the root cause for transport errors. */
    private String describe(Throwable e) {
        if (e instanceof DockerException d) {
            Matcher m = DOCKER_MESSAGE.matcher(String.valueOf(d.getMessage()));
            String message = m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\")
                    : String.valueOf(d.getMessage()).trim();
            return message + " (HTTP " + d.getHttpStatus() + ")";
        }
        return "the Docker daemon at " + dockerHost + " is not reachable or did not answer (" + rootMessage(e) + ")";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String shortId(String id) {
        return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean nonEmpty(String[] a) {
        return a != null && a.length > 0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted", e);
        }
    }

    /** Keeps the last {@code max} bytes written. */
    static final class TailBuffer {
        private final int max;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private byte[] kept = new byte[0];

        TailBuffer(int max) {
            this.max = max;
        }

        synchronized void write(byte[] bytes) {
            if (bytes == null) {
                return;
            }
            out.write(bytes, 0, bytes.length);
            if (out.size() > 2 * (long) max || out.size() > 16 * 1024 * 1024) {
                compact();
            }
        }

        private void compact() {
            byte[] all = concat(kept, out.toByteArray());
            kept = all.length <= max ? all : java.util.Arrays.copyOfRange(all, all.length - max, all.length);
            out.reset();
        }

        synchronized String toUtf8() {
            compact();
            int start = 0;
            // Do not begin inside a UTF-8 sequence cut by the byte limit.
            while (start < kept.length && start < 3 && (kept[start] & 0xC0) == 0x80) {
                start++;
            }
            return new String(kept, start, kept.length - start, StandardCharsets.UTF_8);
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, r, a.length, b.length);
            return r;
        }
    }
}
