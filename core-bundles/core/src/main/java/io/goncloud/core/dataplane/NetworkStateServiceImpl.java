package io.goncloud.core.dataplane;

import io.goncloud.api.service.NetworkStateService;
import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.core.net.Cidr;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.vpc.ElasticIpServiceImpl;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Derives each host's desired network and firewall state from the database, in one read-only
 * transaction per call, so that an agent can converge the kernel to it at any time.
 *
 * <p>Until workers carry only the VPCs of their own instances (multi-host work), every host carries
 * the router of every VPC.
 */
/* Configured by io.goncloud.publicips (see ElasticIpServiceImpl.PublicIps): pool and provider network. */
@Component(service = NetworkStateService.class, configurationPid = "io.goncloud.publicips")
public class NetworkStateServiceImpl implements NetworkStateService {

    private final Database db;
    private final HostNetwork.Provider provider;

    @Activate
    public NetworkStateServiceImpl(@Reference Database db, ElasticIpServiceImpl.PublicIps config) {
        this(db, provider(config.pool_cidr(), config.provider_bridge(), config.provider_gateway()));
    }

    public NetworkStateServiceImpl(Database db, HostNetwork.Provider provider) {
        this.db = db;
        this.provider = provider;
    }

    public static HostNetwork.Provider provider(String cidr, String bridge, String gateway) {
        Cidr block = Cidr.parse(cidr);
        return new HostNetwork.Provider(bridge, block.toString(),
                gateway == null || gateway.isBlank() ? block.gateway() : gateway.strip());
    }

    @Override
    public HostNetwork desiredNetwork(String hostId) {
        return db.read(em -> new StateReader(em).network(provider));
    }

    @Override
    public FirewallPolicy desiredFirewall(String hostId) {
        return db.read(em -> new StateReader(em).firewall());
    }
}
