package io.goncloud.core.compute;

import io.goncloud.api.cluster.WorkerTask.Action;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Instance;
import io.goncloud.api.model.InstanceEvent;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InstanceService.LaunchInstance;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;
import io.goncloud.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** InstanceService.history: the recorded state changes, oldest first, for the owner only; on H2 and PostgreSQL. */
class InstanceHistoryTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void historyListsTheStatesAnInstanceWentThroughForItsOwnerOnly(TestDatabase.Kind kind) {
        try (ComputeFixture f = new ComputeFixture(kind, "198.19.1.0/24")) {
            Caller alice = f.tenant("alice");
            Caller bob = f.tenant("bob");
            String host = "worker-" + UUID.randomUUID().toString().substring(0, 8);
            f.heartbeat(host, 4, 2048, List.of());
            Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
            Instance instance = f.instances.launch(alice, new LaunchInstance(null, "t2.nano", f.imageId, subnet.id(),
                    null, null, null, null));
            List<ComputeFixture.Sent> launch = f.takeSent();
            assertEquals(Action.LAUNCH, launch.get(0).task().action());
            f.answer(launch.get(0), PowerState.RUNNING, null);
            f.instances.stop(alice, instance.id());
            f.answer(f.takeSent().get(0), PowerState.STOPPED, null);

            List<InstanceEvent> history = f.instances.history(alice, instance.id());
            assertEquals(List.of("pending", "running", "stopping", "stopped"),
                    history.stream().map(InstanceEvent::state).toList());
            for (int i = 1; i < history.size(); i++) {
                assertFalse(history.get(i).createdAt().isBefore(history.get(i - 1).createdAt()));
            }
            assertEquals(4, f.instances.history(Caller.operator(), instance.id()).size());
            assertEquals("InvalidInstanceID.NotFound", assertThrows(GcpException.class,
                    () -> f.instances.history(bob, instance.id())).code());
        }
    }
}
