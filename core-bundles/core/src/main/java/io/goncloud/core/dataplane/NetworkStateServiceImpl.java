package io.goncloud.core.dataplane;

import io.goncloud.api.cluster.HostState;
import io.goncloud.api.service.NetworkStateService;
import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.core.net.Cidr;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.vpc.ElasticIpServiceImpl;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Derives each host's desired network and firewall state from the database, in one read-only transaction per call,
 * so that an agent can converge the kernel to it at any time.
 *
 * <p>One host, the network host ({@code network.host} of {@code io.goncloud.cluster}; by default the controller's own
 * host), runs every VPC's router and holds every subnet's segment; any other host gets only the VPCs and subnets it
 * has instance ports in, with no router, and the security groups of its own ports (see {@link HostShare}). Hosts that
 * reported an underlay address get tunnel ids and peers for the segments they share.
 */
/* Configured by io.goncloud.publicips (pool and provider network), io.goncloud.cluster (network host, underlay) and
   io.goncloud.agent (host.id: this host's own id, the default network host). */
@Component(service = {NetworkStateService.class, NetworkStateServiceImpl.class},
        configurationPid = {"io.goncloud.publicips", "io.goncloud.cluster", "io.goncloud.agent"})
public class NetworkStateServiceImpl implements NetworkStateService {

    /** This host's id as its agent knows it (only {@code host.id} of {@code io.goncloud.agent} is read). */
    public @interface LocalHost {
        String host_id() default "";
    }

    private final Database db;
    private final HostNetwork.Provider provider;
    /** null: a single host, which gets everything whatever id it asks with. */
    private final String networkHost;
    private final String networkHostUnderlay;
    private final int underlayMtu;

    @Activate
    public NetworkStateServiceImpl(@Reference Database db, ElasticIpServiceImpl.PublicIps publicIps,
                                   NetworkHostConfig cluster, LocalHost local) {
        this(db, provider(publicIps.pool_cidr(), publicIps.provider_bridge(), publicIps.provider_gateway()),
                networkHost(cluster.network_host(), local.host_id()), cluster.network_host_underlay_address(),
                cluster.underlay_mtu());
    }

    /** A single host: every VPC with its router, every port, no tunnels, whichever host asks. */
    public NetworkStateServiceImpl(Database db, HostNetwork.Provider provider) {
        this.db = db;
        this.provider = provider;
        this.networkHost = null;
        this.networkHostUnderlay = null;
        this.underlayMtu = 0;
    }

    /**
     * Several hosts.
     *
     * @param networkHost         the host running every VPC's router
     * @param networkHostUnderlay its underlay address when it sends no heartbeat of its own; empty or null otherwise
     */
    public NetworkStateServiceImpl(Database db, HostNetwork.Provider provider, String networkHost,
                                   String networkHostUnderlay, int underlayMtu) {
        if (networkHost == null || networkHost.isBlank()) {
            throw new IllegalArgumentException("network.host must not be empty");
        }
        if (underlayMtu < 1280) {
            throw new IllegalArgumentException("underlay.mtu must be at least 1280, not " + underlayMtu);
        }
        this.db = db;
        this.provider = provider;
        this.networkHost = networkHost.strip();
        this.networkHostUnderlay = networkHostUnderlay;
        this.underlayMtu = underlayMtu;
    }

    public static HostNetwork.Provider provider(String cidr, String bridge, String gateway) {
        Cidr block = Cidr.parse(cidr);
        return new HostNetwork.Provider(bridge, block.toString(),
                gateway == null || gateway.isBlank() ? block.gateway() : gateway.strip());
    }

    /** The configured network host, else this host's id as its agent derives it (host.id, else the host name). */
    static String networkHost(String configured, String localHostId) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        if (localHostId != null && !localHostId.isBlank()) {
            return localHostId.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The host that runs every VPC's router; null for a single host. */
    public String networkHost() {
        return networkHost;
    }

    @Override
    public HostNetwork desiredNetwork(String hostId) {
        return db.read(em -> {
            StateReader reader = new StateReader(em);
            return reader.network(provider, share(reader, hostId));
        });
    }

    @Override
    public FirewallPolicy desiredFirewall(String hostId) {
        return db.read(em -> {
            StateReader reader = new StateReader(em);
            return reader.firewall(share(reader, hostId));
        });
    }

    /**
     * Every known host's snapshot (each worker that ever sent a heartbeat, and the network host), read in one
     * transaction so that each host's network and firewall agree with each other.
     */
    public Map<String, HostState> snapshots(Instant now) {
        return db.read(em -> {
            StateReader reader = new StateReader(em);
            Set<String> hosts = new TreeSet<>(reader.workerHosts());
            if (networkHost != null) {
                hosts.add(networkHost);
            }
            Map<String, HostState> result = new LinkedHashMap<>();
            for (String host : hosts) {
                HostShare share = share(reader, host);
                result.put(host, HostState.of(host, reader.network(provider, share), reader.firewall(share), now));
            }
            return result;
        });
    }

    private HostShare share(StateReader reader, String hostId) {
        if (networkHost == null) {
            return HostShare.everything();
        }
        Objects.requireNonNull(hostId, "hostId");
        return HostShare.of(hostId.strip(), networkHost, networkHostUnderlay, underlayMtu, reader.ports(),
                reader.underlays());
    }
}
