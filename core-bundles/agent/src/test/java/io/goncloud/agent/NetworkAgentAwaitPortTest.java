package io.goncloud.agent;

import io.goncloud.api.service.NetworkStateService;
import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.HostNetwork;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a worker the desired state comes from the controller apart from the instance's task (over the broker), so the
 * task may come first: the agent waits for the state that holds the instance's port, and is woken when it comes.
 */
class NetworkAgentAwaitPortTest {

    /** A host's state as the broker feed serves it: nothing until the first snapshot, then what it holds. */
    private static final class ArrivingState implements NetworkStateService {
        volatile HostNetwork current;

        @Override
        public HostNetwork desiredNetwork(String hostId) {
            if (current == null) {
                throw new IllegalStateException("no snapshot from the controller yet");
            }
            return current;
        }

        @Override
        public FirewallPolicy desiredFirewall(String hostId) {
            return new FirewallPolicy(List.of(), List.of());
        }
    }

    private static HostNetwork withPorts(String... instanceIds) {
        List<HostNetwork.Port> ports = java.util.Arrays.stream(instanceIds)
                .map(id -> new HostNetwork.Port("port-" + id, id, "02:00:00:00:00:01", "10.0.1.4")).toList();
        return new HostNetwork(null, List.of(new HostNetwork.VpcNetwork("vpc", "10.0.0.0/16",
                List.of(new HostNetwork.SubnetNetwork("subnet", "10.0.1.0/24", "10.0.1.1", ports)), List.of(), null,
                List.of(), false)));
    }

    private final ArrivingState state = new ArrivingState();
    private final NetworkAgent agent = new NetworkAgent(state, new NetworkAgent.Config() {
        public String host_id() { return "gcp-test-worker"; }
        public String network_driver() { return ""; }
        public String firewall_driver() { return ""; }
        public long resync_seconds() { return 3600; }
        public boolean enabled() { return false; } // no passes: only the waiting is under test
        public Class<? extends Annotation> annotationType() { return NetworkAgent.Config.class; }
    });

    @AfterEach
    void stop() {
        agent.stop();
    }

    @Test
    void aPortThatArrivesAfterTheTaskIsAwaited() throws Exception {
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(
                () -> agent.awaitPortOf("i-late", Duration.ofSeconds(60)));
        state.current = withPorts("i-other");
        agent.desiredStateChanged();
        assertFalse(waiting.isDone() && waiting.get(), "another instance's port is not this one's");
        state.current = withPorts("i-other", "i-late");
        agent.desiredStateChanged();
        assertTrue(waiting.get(30, TimeUnit.SECONDS));
        assertTrue(agent.awaitPortOf("i-late", Duration.ZERO), "there now: no wait");
    }

    @Test
    void aPortThatNeverComesEndsTheWaitAtTheBound() {
        state.current = withPorts("i-other");
        assertFalse(agent.awaitPortOf("i-missing", Duration.ofMillis(300)));
        state.current = null; // a worker that has no snapshot yet
        assertFalse(agent.awaitPortOf("i-missing", Duration.ofMillis(300)));
    }
}
