package io.goncloud.core.compute;

import io.goncloud.api.cluster.HostState;
import io.goncloud.api.cluster.HostStatePublisher;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InstanceService.LaunchInstance;
import io.goncloud.core.dataplane.HostStateBroadcaster;
import io.goncloud.core.dataplane.NetworkStateServiceImpl;
import io.goncloud.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller's side of the network state for workers without a database: what it hands the transport (a
 * recording {@link HostStatePublisher}, the transport's interface), against a real database.
 */
abstract class HostStateBroadcastContract {

    private ComputeFixture f;
    private Caller alice;
    private HostStateBroadcaster broadcaster;
    private final Recording transport = new Recording();

    abstract TestDatabase.Kind kind();

    /** Records what it is handed; fails while {@code down} (a broker outage). */
    static final class Recording implements HostStatePublisher {
        final List<HostState> published = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public void publish(HostState state) {
            if (down) {
                throw new IllegalStateException("the broker did not take the message");
            }
            published.add(state);
        }

        List<String> hosts() {
            List<String> hosts = published.stream().map(HostState::hostId).sorted().toList();
            published.clear();
            return hosts;
        }
    }

    @BeforeEach
    void start() throws Exception {
        f = new ComputeFixture(kind(), "198.19.0.0/24");
        alice = f.tenant("alice");
        f.heartbeat("host-a", "10.99.0.1");
        f.heartbeat("host-b", null);
        f.heartbeat("host-c", null);
        NetworkStateServiceImpl state = new NetworkStateServiceImpl(f.db,
                NetworkStateServiceImpl.provider("198.19.0.0/24", "gcp-provider", null), "host-a", null, 1500);
        broadcaster = new HostStateBroadcaster(state, transport, Duration.ofHours(1));
        pass();
    }

    @AfterEach
    void stop() {
        broadcaster.stop();
        f.close();
    }

    private void pass() throws Exception {
        broadcaster.passNow().get(30, TimeUnit.SECONDS);
    }

    @Test
    void atStartEveryKnownHostGetsItsSnapshotOnce() throws Exception {
        assertEquals(List.of("host-a", "host-b", "host-c"), transport.hosts());
        pass();
        broadcaster.desiredStateChanged();
        pass();
        assertEquals(List.of(), transport.hosts(), "nothing changed: nothing sent");
    }

    @Test
    void aChangeIsSentToTheHostsItConcernsOnly() throws Exception {
        transport.hosts();
        Vpc vpc = f.vpc(alice);
        Subnet subnet = f.subnet(alice, vpc, 1, false);
        pass();
        assertEquals(List.of("host-a"), transport.hosts(), "a new subnet is the network host's alone");

        f.clock.advance(Duration.ofMinutes(5));
        f.cluster.sweep();
        f.heartbeat("host-b", null); // the only worker up: the instance goes there
        f.instances.launch(alice, new LaunchInstance(null, "t2.nano", f.imageId, subnet.id(), null, null, null, null));
        broadcaster.desiredStateChanged();
        pass();
        List<HostState> sent = List.copyOf(transport.published);
        assertEquals(List.of("host-a", "host-b"), transport.hosts(), "host-b gets its port; the network host the "
                + "port's DHCP lease (a remote port), and host-c has nothing of it");
        HostState toWorker = sent.stream().filter(s -> s.hostId().equals("host-b")).findFirst().orElseThrow();
        assertEquals(1, toWorker.network().vpcs().size());
        assertEquals(1, toWorker.firewall().ports().size());
        HostState toNetworkHost = sent.stream().filter(s -> s.hostId().equals("host-a")).findFirst().orElseThrow();
        var leased = toNetworkHost.network().vpcs().stream().filter(v -> v.vpcId().equals(vpc.id())).findFirst()
                .orElseThrow().subnets().stream().filter(n -> n.subnetId().equals(subnet.id())).findFirst().orElseThrow();
        assertEquals(List.of(), leased.ports(), "no device for it on the network host");
        assertEquals(1, leased.remotePorts().size(), "only its lease");
    }

    @Test
    void afterATransportFailureEverythingIsSentAgain() throws Exception {
        transport.hosts();
        transport.down = true;
        f.heartbeat("host-d", null);
        pass();
        assertEquals(List.of(), transport.hosts());

        transport.down = false;
        pass();
        assertEquals(List.of("host-a", "host-b", "host-c", "host-d"), transport.hosts(),
                "the broker may have lost its journal: every host's snapshot goes again");
        pass();
        assertTrue(transport.hosts().isEmpty(), "and then only what changes");
    }
}
