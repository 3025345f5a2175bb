package io.goncloud.shell;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.User;
import io.goncloud.api.model.Volume;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.UserService;
import io.goncloud.api.service.VolumeService;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gcp:volume-list over stand-in services: what it asks for, as whom, and what the operator reads. */
class VolumeCommandsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private final List<String> calls = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private <T> T service(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            assertTrue(((Caller) args[0]).isOperator(), "commands act as the operator");
            calls.add(method.getName() + java.util.Arrays.asList(args).subList(1, args.length));
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

    @Test
    void volumeListShowsEveryTenantsVolumesWithTheirAttachmentAndOwner() throws Exception {
        Volume volume = new Volume("v-1", "data", 10, "in-use", null, null,
                new Volume.Attachment("i-1", "/data", "attached"), Map.of(), "u-1", NOW, NOW);
        VolumeList command = new VolumeList();
        inject(command, "volumes", service(VolumeService.class, Map.of("list", new Page<>(List.of(volume), null))));
        inject(command, "users", service(UserService.class, Map.of("list", new Page<>(List.of(
                new User("u-1", "alice", "alice@example.test", "user", true, NOW, NOW)), null))));
        inject(command, "state", "in-use");

        PrintStream previous = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            command.execute();
        } finally {
            System.setOut(previous);
        }

        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("i-1 at /data (attached)") && out.contains("alice@example.test"), out);
        assertTrue(calls.contains("list[in-use, PageRequest[limit=1000, pageToken=null]]"), calls.toString());
    }

    @Test
    void aBadStateIsReportedByCode() throws Exception {
        VolumeList command = new VolumeList();
        inject(command, "volumes", service(VolumeService.class, Map.of("list",
                new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "state must be one of creating, ..."))));
        inject(command, "state", "lost");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, command::execute);

        assertEquals("InvalidParameterValue: state must be one of creating, ...", e.getMessage());
    }
}
