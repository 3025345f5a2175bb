package io.goncloud.core.compute;

import io.goncloud.core.quota.Quotas;
import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.cluster.WorkerTask;
import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.ConsoleOutput;
import io.goncloud.api.model.Instance;
import io.goncloud.api.model.InstanceState;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InstanceService;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.ImageEntity;
import io.goncloud.core.persistence.InstanceEntity;
import io.goncloud.core.persistence.InstanceTypeEntity;
import io.goncloud.core.persistence.Paging;
import io.goncloud.core.persistence.SecurityGroupEntity;
import io.goncloud.core.persistence.SubnetEntity;
import io.goncloud.core.persistence.VpcEntity;
import io.goncloud.core.persistence.WorkerNodeEntity;
import io.goncloud.core.validation.Check;
import io.goncloud.core.vpc.ElasticIpServiceImpl;
import io.goncloud.core.vpc.PublicIpPool;
import io.goncloud.core.vpc.VpcLookups;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The instance life cycle on the controller. Each call validates, records the new desired state in one
 * transaction, and after commit sends the worker its task; the worker's reports move the instance on
 * ({@link ClusterController}). Nothing is half-written: placement, addresses and rows commit together.
 */
@Component(service = InstanceService.class, configurationPid = {ClusterConfig.PID, "io.goncloud.publicips"})
public class InstanceServiceImpl implements InstanceService {

    static final int USER_DATA_MAX = 16384;
    static final int TAGS_MAX = 50;
    /** Concurrent launches may pick the same lowest free address; the losers try again (see ElasticIpServiceImpl). */
    static final int LAUNCH_ATTEMPTS = 25;
    /** How long a console output request waits for the worker's answer. */
    public static final Duration CONSOLE_OUTPUT_TIMEOUT = Duration.ofSeconds(5);

    private final Database db;
    private final TaskDispatcher tasks;
    private final PublicIpPool publicIps;
    private final Duration nodeLiveness;
    private final Placement.Strategy placement;
    private final Clock clock;
    private volatile Duration consoleOutputTimeout = CONSOLE_OUTPUT_TIMEOUT;

    @Activate
    public InstanceServiceImpl(@Reference Database db, @Reference TaskDispatcher tasks, ClusterConfig cluster,
                               ElasticIpServiceImpl.PublicIps publicIps) {
        this(db, tasks, new PublicIpPool(publicIps.pool_cidr(), publicIps.pool_reserved()),
                Duration.ofSeconds(cluster.node_timeout_seconds()), Placement.Strategy.of(cluster.placement()),
                Clock.systemUTC());
    }

    public InstanceServiceImpl(Database db, TaskDispatcher tasks, PublicIpPool publicIps, Duration nodeLiveness,
                               Clock clock) {
        this(db, tasks, publicIps, nodeLiveness, Placement.Strategy.SPREAD, clock);
    }

    InstanceServiceImpl(Database db, TaskDispatcher tasks, PublicIpPool publicIps, Duration nodeLiveness,
                        Placement.Strategy placement, Clock clock) {
        this.db = db;
        this.tasks = tasks;
        this.publicIps = publicIps;
        this.nodeLiveness = nodeLiveness;
        this.placement = placement;
        this.clock = clock;
    }

    @Override
    public Page<Instance> list(Caller caller, String vpcId, String state, PageRequest page) {
        Map<String, Object> params = new HashMap<>();
        List<String> where = new ArrayList<>();
        if (!caller.isOperator()) {
            where.add("e.userId = :owner");
            params.put("owner", caller.userId());
        }
        if (state != null && !state.isBlank()) {
            where.add("e.state = :state");
            params.put("state", validState(state));
        }
        if (vpcId != null && !vpcId.isBlank()) {
            where.add("e.subnetId IN (SELECT s.id FROM SubnetEntity s WHERE s.vpcId = :vpc)");
            params.put("vpc", Check.id(vpcId, ErrorCode.VPC_MALFORMED, "vpc id"));
        }
        return db.read(em -> Paging.page(em, InstanceEntity.class,
                where.isEmpty() ? null : String.join(" AND ", where), params, page, rows -> InstanceRows.toModels(em, rows)));
    }

    @Override
    public Instance launch(Caller caller, LaunchInstance request) {
        if (caller.isOperator()) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "Instances belong to users; log in as one");
        }
        String name = Check.optionalText(request.name(), "name", 255);
        String userData = request.userData();
        if (userData != null && userData.length() > USER_DATA_MAX) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "user_data must be at most " + USER_DATA_MAX
                    + " characters long");
        }
        Map<String, String> tags = validTags(request.tags());
        for (int attempt = 1; ; attempt++) {
            try {
                Launched launched = db.inTransaction(em -> launchInTransaction(em, caller, request, name, userData, tags));
                tasks.send(launched.task());
                return launched.instance();
            } catch (PersistenceException e) {
                if (attempt >= LAUNCH_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private record Launched(Instance instance, InstanceTasks.Addressed task) {
    }

    private Launched launchInTransaction(EntityManager em, Caller caller, LaunchInstance request, String name,
                                         String userData, Map<String, String> tags) {
        InstanceTypeEntity type = instanceType(em, request.instanceType());
        // Before any VPC lock (the order every quota check keeps); a refusal here creates nothing.
        Quotas.requireLaunch(em, caller.userId(), type.cpu, type.memory);
        ImageEntity image = image(em, caller, request.imageId());
        SubnetEntity subnet = VpcLookups.subnet(em, caller, request.subnetId());
        List<String> groups = securityGroups(em, caller, subnet, request.securityGroupIds());
        String keyName = request.keyName() == null || request.keyName().isBlank() ? null
                : KeyPairServiceImpl.byName(em, caller.userId(), request.keyName().strip()).name;
        // Serialises launches with the subnet's deletion and with changes to its VPC's groups.
        VpcEntity vpc = VpcLookups.lockVpc(em, subnet.vpcId);
        if (vpc == null || em.find(SubnetEntity.class, subnet.id) == null) {
            throw new GcpException(ErrorCode.SUBNET_NOT_FOUND, "The subnet ID '" + request.subnetId() + "' does not exist");
        }
        WorkerNodeEntity node = Placement.place(em, placement, image.format, type.cpu, type.memory, now().minus(nodeLiveness));

        InstanceEntity row = new InstanceEntity();
        row.id = Database.newId();
        row.name = name == null || name.isEmpty() ? "i-" + row.id.substring(0, 8) : name;
        row.instanceType = type.name;
        row.imageId = image.id;
        row.subnetId = subnet.id;
        row.userId = caller.userId();
        row.keyPair = keyName;
        row.userData = userData;
        row.workerNodeId = node.id;
        row.desiredState = "running";
        row.createdAt = now();
        row.updatedAt = row.createdAt;
        row.privateIp = "0.0.0.0"; // set below: the address row needs the instance row first
        row.state = InstanceState.PENDING.value();
        em.persist(row);
        em.flush();
        row.privateIp = PrivateAddresses.allocate(em, subnet, row.id);
        if (subnet.mapPublicIpOnLaunch) {
            String address = publicIps.lowestFree(em);
            if (address == null) {
                throw new GcpException(ErrorCode.ADDRESS_LIMIT_EXCEEDED, "The subnet maps a public IP on launch, but "
                        + "the public address pool " + publicIps.block() + " has no free address left");
            }
            VpcLookups.assignLaunchAddress(em, address, row.userId, row.id);
            row.publicIp = address;
        }
        InstanceRows.setSecurityGroups(em, row.id, groups);
        InstanceRows.setTags(em, row.id, tags);
        row.state = null; // so that the first transition is recorded
        InstanceRows.transition(em, row, InstanceState.PENDING.value(), null);
        InstanceTasks.Addressed task = InstanceTasks.forDesiredState(em, row, now());
        em.flush();
        return new Launched(InstanceRows.toModel(em, row), task);
    }

    @Override
    public Instance get(Caller caller, String instanceId) {
        return db.read(em -> InstanceRows.toModel(em, find(em, caller, instanceId, false)));
    }

    @Override
    public List<Instance> changedSince(Caller caller, java.time.Instant since, int limit) {
        return db.read(em -> {
            var query = em.createQuery("SELECT i FROM InstanceEntity i WHERE i.updatedAt > :since"
                            + (caller.isOperator() ? "" : " AND i.userId = :owner") + " ORDER BY i.updatedAt, i.id",
                    InstanceEntity.class)
                    .setParameter("since", java.time.OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC))
                    .setMaxResults(Math.max(1, Math.min(limit, 1000)));
            if (!caller.isOperator()) {
                query.setParameter("owner", caller.userId());
            }
            return InstanceRows.toModels(em, query.getResultList());
        });
    }

    @Override
    public List<io.goncloud.api.model.InstanceEvent> history(Caller caller, String instanceId) {
        return db.read(em -> {
            InstanceEntity row = find(em, caller, instanceId, false);
            List<?> rows = em.createNativeQuery("SELECT state, reason, created_at FROM instance_events "
                    + "WHERE instance_id = ? ORDER BY created_at, id").setParameter(1, row.id).getResultList();
            return rows.stream().map(r -> {
                Object[] cols = (Object[]) r;
                return new io.goncloud.api.model.InstanceEvent((String) cols[0], (String) cols[1], instant(cols[2]));
            }).toList();
        });
    }

    private static java.time.Instant instant(Object timestamp) {
        if (timestamp instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (timestamp instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (timestamp instanceof java.time.Instant i) {
            return i;
        }
        throw new IllegalStateException("unexpected timestamp type " + timestamp.getClass());
    }

    @Override
    public Instance update(Caller caller, String instanceId, UpdateInstance request) {
        String name = Check.optionalText(request.name(), "name", 255);
        Map<String, String> tags = request.tags() == null ? null : validTags(request.tags());
        return db.inTransaction(em -> {
            InstanceEntity row = find(em, caller, instanceId, true);
            if (isTerminated(row) && (request.securityGroupIds() != null)) {
                throw incorrectState(row, "have its security groups changed");
            }
            if (name != null && !name.isEmpty()) {
                row.name = name;
            }
            if (request.securityGroupIds() != null) {
                SubnetEntity subnet = em.find(SubnetEntity.class, row.subnetId);
                VpcLookups.lockVpc(em, subnet.vpcId);
                if (request.securityGroupIds().isEmpty()) {
                    throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "An instance needs at least one security group");
                }
                InstanceRows.setSecurityGroups(em, row.id, securityGroups(em, caller, subnet, request.securityGroupIds()));
            }
            if (tags != null) {
                InstanceRows.setTags(em, row.id, tags);
            }
            row.updatedAt = Database.now();
            em.flush();
            return InstanceRows.toModel(em, row);
        });
    }

    @Override
    public Instance start(Caller caller, String instanceId) {
        return change(caller, instanceId, row -> switch (InstanceState.of(row.state)) {
            case PENDING, RUNNING -> false;
            case STOPPED -> {
                row.desiredState = "running";
                yield true;
            }
            default -> throw incorrectState(row, "be started");
        }, InstanceState.PENDING);
    }

    @Override
    public Instance stop(Caller caller, String instanceId) {
        return change(caller, instanceId, row -> switch (InstanceState.of(row.state)) {
            case STOPPING, STOPPED -> false;
            case PENDING, RUNNING -> {
                row.desiredState = "stopped";
                yield true;
            }
            default -> throw incorrectState(row, "be stopped");
        }, InstanceState.STOPPING);
    }

    @Override
    public Instance reboot(Caller caller, String instanceId) {
        String id = Check.id(instanceId, ErrorCode.INSTANCE_MALFORMED, "instance id");
        InstanceTasks.Addressed[] task = new InstanceTasks.Addressed[1];
        Instance result = db.inTransaction(em -> {
            InstanceEntity row = find(em, caller, id, true);
            if (!InstanceState.RUNNING.value().equals(row.state)) {
                throw incorrectState(row, "be rebooted");
            }
            task[0] = InstanceTasks.forAction(em, row, io.goncloud.api.cluster.WorkerTask.Action.REBOOT, now());
            em.flush();
            return InstanceRows.toModel(em, row);
        });
        tasks.send(task[0]);
        return result;
    }

    /** For tests: how long {@link #consoleOutput} waits for the worker. */
    public void setConsoleOutputTimeout(Duration timeout) {
        this.consoleOutputTimeout = timeout;
    }

    /**
     * Asks the instance's worker for its console (a {@code CONSOLE_OUTPUT} task, answered by a report) and waits
     * for the answer. The task is queued behind the instance's other tasks, so a launch or stop in progress on
     * the worker can delay it past the timeout: the caller then gets a 503 and tries again.
     */
    @Override
    public ConsoleOutput consoleOutput(Caller caller, String instanceId) {
        InstanceTasks.Addressed[] task = new InstanceTasks.Addressed[1];
        String id = db.read(em -> {
            InstanceEntity row = find(em, caller, instanceId, false);
            WorkerNodeEntity node = row.workerNodeId == null ? null : em.find(WorkerNodeEntity.class, row.workerNodeId);
            if (isTerminated(row) || node == null) {
                return row.id; // no container any more, or never one: nothing to read
            }
            if (WorkerNodeEntity.DOWN.equals(node.state)) {
                throw new GcpException(ErrorCode.SERVICE_UNAVAILABLE, "The worker " + node.hostname + " of instance '"
                        + row.id + "' is not responding; its console output cannot be read now");
            }
            task[0] = new InstanceTasks.Addressed(node.hostname, new WorkerTask(Database.newId(), row.id,
                    WorkerTask.Action.CONSOLE_OUTPUT, null));
            return row.id;
        });
        if (task[0] == null) {
            return new ConsoleOutput(id, "", clock.instant());
        }
        String worker = task[0].hostId();
        WorkerReport.InstanceReport answer;
        try {
            answer = tasks.request(task[0], consoleOutputTimeout);
        } catch (IllegalStateException e) {
            throw new GcpException(ErrorCode.SERVICE_UNAVAILABLE, "The console output request could not be sent to "
                    + "the worker " + worker + " (" + e.getMessage() + "); try again");
        }
        if (answer == null) {
            throw new GcpException(ErrorCode.SERVICE_UNAVAILABLE, "The worker " + worker + " did not return the "
                    + "console output of instance '" + id + "' within " + consoleOutputTimeout.toSeconds()
                    + " s (it may be busy with the instance's previous task); try again");
        }
        if (answer.error() != null) {
            throw new GcpException(ErrorCode.SERVICE_UNAVAILABLE, "The worker " + worker + " could not read the "
                    + "console output of instance '" + id + "': " + answer.error());
        }
        return new ConsoleOutput(id, tail(answer.consoleOutput(), WorkerTask.CONSOLE_OUTPUT_MAX_BYTES), clock.instant());
    }

    /** The last {@code maxBytes} bytes of the text in UTF-8, starting on a whole character. */
    static String tail(String text, int maxBytes) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        int from = bytes.length - maxBytes;
        while (from < bytes.length && (bytes[from] & 0xC0) == 0x80) {
            from++; // a continuation byte: the character started before the cut
        }
        return new String(bytes, from, bytes.length - from, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public Instance terminate(Caller caller, String instanceId) {
        String id = Check.id(instanceId, ErrorCode.INSTANCE_MALFORMED, "instance id");
        InstanceTasks.Addressed[] task = new InstanceTasks.Addressed[1];
        Instance result = db.inTransaction(em -> {
            InstanceEntity row = find(em, caller, id, true);
            if (isTerminated(row) || "terminated".equals(row.desiredState)) {
                return InstanceRows.toModel(em, row);
            }
            row.desiredState = "terminated";
            if (row.workerNodeId == null) {
                Termination.complete(em, row, null, now());
            } else {
                InstanceRows.transition(em, row, InstanceState.SHUTTING_DOWN.value(), null);
                task[0] = InstanceTasks.forDesiredState(em, row, now());
            }
            em.flush();
            return InstanceRows.toModel(em, row);
        });
        tasks.send(task[0]);
        return result;
    }

    /** Applies a desired-state change and, when it changed something, moves the state and sends the task. */
    private Instance change(Caller caller, String instanceId, Function<InstanceEntity, Boolean> decide,
                            InstanceState next) {
        String id = Check.id(instanceId, ErrorCode.INSTANCE_MALFORMED, "instance id");
        InstanceTasks.Addressed[] task = new InstanceTasks.Addressed[1];
        Instance result = db.inTransaction(em -> {
            InstanceEntity row = find(em, caller, id, true);
            if (decide.apply(row)) {
                InstanceRows.transition(em, row, next.value(), null);
                task[0] = InstanceTasks.forDesiredState(em, row, now());
                em.flush();
            }
            return InstanceRows.toModel(em, row);
        });
        tasks.send(task[0]);
        return result;
    }

    private java.time.OffsetDateTime now() {
        return ClusterController.utcMicros(clock);
    }

    static InstanceEntity find(EntityManager em, Caller caller, String instanceId, boolean lock) {
        String id = Check.id(instanceId, ErrorCode.INSTANCE_MALFORMED, "instance id");
        InstanceEntity row = lock ? em.find(InstanceEntity.class, id, LockModeType.PESSIMISTIC_WRITE)
                : em.find(InstanceEntity.class, id);
        if (row == null || !caller.canSee(row.userId)) {
            throw new GcpException(ErrorCode.INSTANCE_NOT_FOUND, "The instance ID '" + instanceId + "' does not exist");
        }
        return row;
    }

    private static InstanceTypeEntity instanceType(EntityManager em, String name) {
        String typeName = Check.requiredText(name, "instance_type", 64);
        InstanceTypeEntity type = em.find(InstanceTypeEntity.class, typeName);
        if (type == null) {
            throw new GcpException(ErrorCode.INSTANCE_TYPE_INVALID, "The instance type '" + typeName
                    + "' does not exist; see GET /api/v1/instance-types");
        }
        return type;
    }

    private static ImageEntity image(EntityManager em, Caller caller, String imageId) {
        String id = Check.id(imageId, ErrorCode.IMAGE_MALFORMED, "image id");
        ImageEntity image = em.find(ImageEntity.class, id);
        if (image == null || !(image.isPublic || caller.canSee(image.userId))) {
            throw new GcpException(ErrorCode.IMAGE_NOT_FOUND, "The image id '" + imageId + "' does not exist");
        }
        return image;
    }

    /** The requested groups, each in the subnet's VPC, or the VPC's default group when none are given. */
    private static List<String> securityGroups(EntityManager em, Caller caller, SubnetEntity subnet, List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            SecurityGroupEntity fallback = VpcLookups.defaultSecurityGroup(em, subnet.vpcId);
            return fallback == null ? List.of() : List.of(fallback.id);
        }
        List<String> groups = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            SecurityGroupEntity group = VpcLookups.securityGroup(em, caller, id);
            if (!group.vpcId.equals(subnet.vpcId)) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "The security group '" + id
                        + "' is in another VPC than the subnet " + subnet.id);
            }
            groups.add(group.id);
        }
        return groups;
    }

    private static Map<String, String> validTags(Map<String, String> tags) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > TAGS_MAX) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "An instance has at most " + TAGS_MAX + " tags");
        }
        Map<String, String> valid = new java.util.TreeMap<>();
        tags.forEach((k, v) -> valid.put(Check.requiredText(k, "tag key", 128),
                v == null ? "" : Check.optionalText(v, "tag value", 256)));
        return valid;
    }

    private static String validState(String state) {
        try {
            return InstanceState.of(state.strip()).value();
        } catch (IllegalArgumentException e) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "state must be one of pending, running, "
                    + "stopping, stopped, shutting-down, terminated");
        }
    }

    private static boolean isTerminated(InstanceEntity row) {
        return InstanceState.TERMINATED.value().equals(row.state);
    }

    private static GcpException incorrectState(InstanceEntity row, String action) {
        return new GcpException(ErrorCode.INCORRECT_INSTANCE_STATE, "The instance '" + row.id + "' is " + row.state
                + " and cannot " + action + " now");
    }
}
