package io.goncloud.shell;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Instance;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.User;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.model.WorkerNode;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InstanceService;
import io.goncloud.api.service.UserService;
import io.goncloud.api.service.VpcService;
import io.goncloud.api.service.WorkerNodeService;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compute commands over stand-in services: what they ask for, as whom, and what the operator reads. */
class ComputeCommandsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final WorkerNode NODE = new WorkerNode("n-1", "worker-a", "192.0.2.10", "up", 8, 16384, 100, 3, 3072,
            List.of("compute:docker", "image-format:docker-rootfs"), 2, NOW, NOW);
    private final List<String> calls = new ArrayList<>();

    /** A service whose methods answer from {@code answers} by name and record who called. */
    @SuppressWarnings("unchecked")
    private <T> T service(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (args != null && args.length > 0 && args[0] instanceof Caller caller) {
                assertTrue(caller.isOperator(), "commands act as the operator");
            }
            calls.add(method.getName() + (args == null ? "" : java.util.Arrays.asList(args).subList(1, args.length)));
            Object answer = answers.get(method.getName());
            if (answer instanceof RuntimeException e) {
                throw e;
            }
            return answer;
        });
    }

    private static void inject(Object command, String field, Object value) throws Exception {
        Field f = command.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(command, value);
    }

    private static String output(Callable<Object> command) throws Exception {
        PrintStream previous = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            command.call();
        } finally {
            System.setOut(previous);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void nodeListShowsLoadAgainstCapacity() throws Exception {
        NodeList command = new NodeList();
        inject(command, "nodes", service(WorkerNodeService.class, Map.of("list", List.of(NODE))));
        String out = output(command::execute);
        assertTrue(out.contains("worker-a"), out);
        assertTrue(out.contains("3/8"), out);
        assertTrue(out.contains("3072/16384"), out);
        assertTrue(out.contains("compute:docker,image-format:docker-rootfs"), out);
    }

    @Test
    void drainAndUndrainNameTheNodeAndReportServiceErrorsByCode() throws Exception {
        NodeDrain drain = new NodeDrain();
        inject(drain, "nodes", service(WorkerNodeService.class, Map.of("drain", NODE)));
        inject(drain, "node", "worker-a");
        assertTrue(output(drain::execute).contains("worker-a"));
        assertEquals(List.of("drain[worker-a]"), calls);

        NodeUndrain undrain = new NodeUndrain();
        inject(undrain, "nodes", service(WorkerNodeService.class, Map.of("undrain",
                new GcpException(ErrorCode.WORKER_NODE_NOT_FOUND, "No worker node is called 'x'"))));
        inject(undrain, "node", "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, undrain::execute);
        assertEquals("InvalidWorkerNode.NotFound: No worker node is called 'x'", e.getMessage());
    }

    @Test
    void instanceListShowsEveryTenantsInstancesWithTheirNodeAndOwner() throws Exception {
        Instance instance = new Instance("i-1", "web", "t2.micro", "img", "vpc-1", "subnet-1", "10.0.1.4", null,
                "running", null, "n-1", null, List.of(), Map.of(), NOW, NOW);
        InstanceList command = new InstanceList();
        inject(command, "instances", service(InstanceService.class, Map.of("list", new Page<>(List.of(instance), null))));
        inject(command, "nodes", service(WorkerNodeService.class, Map.of("list", List.of(NODE))));
        inject(command, "vpcs", service(VpcService.class, Map.of("list", new Page<>(List.of(
                new Vpc("vpc-1", "net", "10.0.0.0/16", null, "available", "u-1", null, null, null, NOW, NOW)), null))));
        inject(command, "users", service(UserService.class, Map.of("list", new Page<>(List.of(
                new User("u-1", "alice", "alice@example.test", "user", true, NOW, NOW)), null))));
        inject(command, "state", "running");
        String out = output(command::execute);
        assertTrue(out.contains("10.0.1.4") && out.contains("worker-a") && out.contains("alice@example.test"), out);
        assertTrue(calls.contains("list[null, running, PageRequest[limit=1000, pageToken=null]]"), calls.toString());
    }

    @Test
    void sizesAreReadable() {
        assertEquals("512 B", ImageImport.size(512));
        assertEquals("2.0 KiB", ImageImport.size(2048));
        assertEquals("1.5 GiB", ImageImport.size(1536L * 1024 * 1024));
    }
}
