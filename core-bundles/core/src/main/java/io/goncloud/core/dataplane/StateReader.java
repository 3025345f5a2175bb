package io.goncloud.core.dataplane;

import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.AclEntry;
import io.goncloud.api.spi.network.FirewallPolicy.Direction;
import io.goncloud.api.spi.network.FirewallPolicy.PortPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.Rule;
import io.goncloud.api.spi.network.FirewallPolicy.SubnetAcl;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.PublicIpMapping;
import io.goncloud.api.spi.network.HostNetwork.Route;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import io.goncloud.core.net.Cidr;
import io.goncloud.core.persistence.InternetGatewayEntity;
import io.goncloud.core.persistence.NetworkAclAssociationEntity;
import io.goncloud.core.persistence.NetworkAclEntity;
import io.goncloud.core.persistence.NetworkAclEntryEntity;
import io.goncloud.core.persistence.RouteEntity;
import io.goncloud.core.persistence.RouteTableAssociationEntity;
import io.goncloud.core.persistence.RouteTableEntity;
import io.goncloud.core.persistence.SecurityGroupRuleEntity;
import io.goncloud.core.persistence.SubnetEntity;
import io.goncloud.core.persistence.VpcEntity;

import javax.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the whole networking state once and assembles the drivers' views of it. Each table is read in
 * one query, so the cost does not grow with the number of VPCs by query count.
 */
final class StateReader {

    private final EntityManager em;
    private final List<VpcEntity> vpcs;
    private final List<SubnetEntity> subnets;
    private final List<InstancePort> ports;

    StateReader(EntityManager em) {
        this.em = em;
        this.vpcs = em.createQuery("SELECT v FROM VpcEntity v ORDER BY v.createdAt, v.id", VpcEntity.class).getResultList();
        this.subnets = em.createQuery("SELECT s FROM SubnetEntity s ORDER BY s.createdAt, s.id", SubnetEntity.class)
                .getResultList();
        this.ports = InstancePort.all(em);
    }

    List<InstancePort> ports() {
        return ports;
    }

    /** The host id of every worker that ever sent a heartbeat. */
    @SuppressWarnings("unchecked")
    List<String> workerHosts() {
        return em.createNativeQuery("SELECT hostname FROM worker_nodes ORDER BY hostname").getResultList();
    }

    /** Each worker's reported underlay address (host id -> address); workers without one are left out. */
    Map<String, String> underlays() {
        Map<String, String> result = new HashMap<>();
        for (Object row : em.createNativeQuery("SELECT hostname, underlay_address FROM worker_nodes "
                + "WHERE underlay_address IS NOT NULL").getResultList()) {
            Object[] cols = (Object[]) row;
            if (!((String) cols[1]).isBlank()) {
                result.put((String) cols[0], ((String) cols[1]).strip());
            }
        }
        return result;
    }

    /**
     * The network state of the host {@code share} describes: the network host gets every VPC with its router, its
     * routes, uplink and public addresses; any other host only the VPCs and subnets it has ports in, without them.
     */
    HostNetwork network(HostNetwork.Provider provider, HostShare share) {
        Map<String, String> uplinks = new HashMap<>();
        Map<String, String> gatewayVpc = new HashMap<>();
        for (InternetGatewayEntity g : em.createQuery("SELECT g FROM InternetGatewayEntity g WHERE g.vpcId IS NOT NULL",
                InternetGatewayEntity.class).getResultList()) {
            uplinks.put(g.vpcId, g.uplinkAddress);
            gatewayVpc.put(g.id, g.vpcId);
        }
        boolean router = share.routerHere();
        Map<String, List<Route>> routesBySubnet = router ? routesBySubnet() : Map.of();
        Map<String, List<PublicIpMapping>> publicIps = router ? publicIpsByVpc() : Map.of();
        List<VpcNetwork> result = new ArrayList<>();
        for (VpcEntity vpc : vpcs) {
            List<SubnetNetwork> vpcSubnets = new ArrayList<>();
            List<Route> routes = new ArrayList<>();
            for (SubnetEntity subnet : subnetsOf(vpc.id)) {
                if (!share.holdsSubnet(subnet.id)) {
                    continue;
                }
                List<Port> subnetPorts = new ArrayList<>();
                List<Port> remotePorts = new ArrayList<>();
                for (InstancePort p : ports) {
                    if (p.subnetId().equals(subnet.id)) {
                        Port port = new Port(p.instanceId(), p.instanceId(), p.macAddress(), p.privateIp());
                        if (share.holdsPort(p)) {
                            subnetPorts.add(port);
                        } else if (router) {
                            remotePorts.add(port); // leased by this host's DHCP server, through the tunnels
                        }
                    }
                }
                vpcSubnets.add(new SubnetNetwork(subnet.id, subnet.cidrBlock, Cidr.parse(subnet.cidrBlock).gateway(),
                        subnetPorts, share.vni(subnet.vni), share.tunnelPeers(subnet.id), remotePorts));
                routes.addAll(routesBySubnet.getOrDefault(subnet.id, List.of()));
            }
            if (router || !vpcSubnets.isEmpty()) {
                result.add(new VpcNetwork(vpc.id, vpc.cidrBlock, vpcSubnets, routes, router ? uplinks.get(vpc.id) : null,
                        publicIps.getOrDefault(vpc.id, List.of()), router));
            }
        }
        return new HostNetwork(router ? provider : null, result, share.overlay());
    }

    /** Security groups of the host's own ports; network ACLs only where the routers are. */
    FirewallPolicy firewall(HostShare share) {
        Map<String, List<SecurityGroupRuleEntity>> rulesByGroup = em.createQuery(
                        "SELECT r FROM SecurityGroupRuleEntity r ORDER BY r.id", SecurityGroupRuleEntity.class)
                .getResultList().stream().collect(Collectors.groupingBy(r -> r.securityGroupId));
        Map<String, List<String>> groupMembers = new HashMap<>();
        for (InstancePort port : ports) {
            for (String group : port.securityGroupIds()) {
                groupMembers.computeIfAbsent(group, g -> new ArrayList<>()).add(port.privateIp() + "/32");
            }
        }
        List<PortPolicy> portPolicies = new ArrayList<>();
        for (InstancePort port : ports) {
            if (!share.holdsPort(port)) {
                continue;
            }
            List<Rule> rules = new ArrayList<>();
            for (String group : port.securityGroupIds()) {
                for (SecurityGroupRuleEntity rule : rulesByGroup.getOrDefault(group, List.of())) {
                    List<String> cidrs = rule.source.contains("/") ? List.of(rule.source)
                            : groupMembers.getOrDefault(rule.source, List.of());
                    rules.add(new Rule(direction(rule.direction), rule.protocol, rule.fromPort, rule.toPort, cidrs));
                }
            }
            portPolicies.add(new PortPolicy(port.instanceId(), port.privateIp(), rules));
        }
        return new FirewallPolicy(portPolicies, share.routerHere() ? subnetAcls() : List.of());
    }

    private List<SubnetAcl> subnetAcls() {
        Map<String, String> explicit = em.createQuery("SELECT a FROM NetworkAclAssociationEntity a",
                NetworkAclAssociationEntity.class).getResultList().stream()
                .collect(Collectors.toMap(a -> a.subnetId, a -> a.networkAclId));
        Map<String, String> defaults = em.createQuery("SELECT a FROM NetworkAclEntity a WHERE a.isDefault = true",
                NetworkAclEntity.class).getResultList().stream().collect(Collectors.toMap(a -> a.vpcId, a -> a.id));
        Map<String, List<NetworkAclEntryEntity>> entries = em.createQuery("SELECT e FROM NetworkAclEntryEntity e",
                        NetworkAclEntryEntity.class).getResultList().stream()
                .collect(Collectors.groupingBy(e -> e.networkAclId));
        List<SubnetAcl> acls = new ArrayList<>();
        for (SubnetEntity subnet : subnets) {
            String aclId = explicit.getOrDefault(subnet.id, defaults.get(subnet.vpcId));
            List<AclEntry> aclEntries = entries.getOrDefault(aclId, List.of()).stream()
                    .sorted(Comparator.comparingInt(e -> e.ruleNumber))
                    .map(e -> new AclEntry(e.ruleNumber, direction(e.direction), e.protocol, e.fromPort, e.toPort,
                            e.cidrBlock, "allow".equals(e.action)))
                    .toList();
            acls.add(new SubnetAcl(subnet.vpcId, subnet.id, subnet.cidrBlock, aclEntries));
        }
        return acls;
    }

    /** For each subnet, the routes of the table it uses: its associated table, or its VPC's main table. */
    private Map<String, List<Route>> routesBySubnet() {
        Map<String, String> explicit = em.createQuery("SELECT a FROM RouteTableAssociationEntity a",
                RouteTableAssociationEntity.class).getResultList().stream()
                .collect(Collectors.toMap(a -> a.subnetId, a -> a.routeTableId));
        Map<String, String> mains = em.createQuery("SELECT t FROM RouteTableEntity t WHERE t.main = true",
                RouteTableEntity.class).getResultList().stream().collect(Collectors.toMap(t -> t.vpcId, t -> t.id));
        Map<String, List<RouteEntity>> routesByTable = em.createQuery(
                        "SELECT r FROM RouteEntity r ORDER BY r.priority, r.destinationCidr", RouteEntity.class)
                .getResultList().stream().collect(Collectors.groupingBy(r -> r.routeTableId));
        Map<String, String> instanceIps = ports.stream()
                .collect(Collectors.toMap(InstancePort::instanceId, InstancePort::privateIp, (a, b) -> a));
        Map<String, List<Route>> result = new HashMap<>();
        for (SubnetEntity subnet : subnets) {
            String table = explicit.getOrDefault(subnet.id, mains.get(subnet.vpcId));
            List<Route> routes = new ArrayList<>();
            for (RouteEntity r : routesByTable.getOrDefault(table, List.of())) {
                String nextHop = "instance".equals(r.targetType) ? instanceIps.get(r.targetId) : null;
                routes.add(new Route(subnet.id, r.destinationCidr, r.targetType, r.targetId, nextHop));
            }
            result.put(subnet.id, routes);
        }
        return result;
    }

    private Map<String, List<PublicIpMapping>> publicIpsByVpc() {
        Map<String, InstancePort> byInstance = ports.stream()
                .collect(Collectors.toMap(InstancePort::instanceId, p -> p, (a, b) -> a));
        Map<String, String> vpcOfSubnet = subnets.stream().collect(Collectors.toMap(s -> s.id, s -> s.vpcId));
        Map<String, List<PublicIpMapping>> result = new HashMap<>();
        for (Object row : em.createNativeQuery("SELECT address, CAST(instance_id AS VARCHAR(36)) FROM public_ips "
                + "WHERE instance_id IS NOT NULL ORDER BY address").getResultList()) {
            Object[] cols = (Object[]) row;
            InstancePort port = byInstance.get((String) cols[1]);
            if (port != null) {
                result.computeIfAbsent(vpcOfSubnet.get(port.subnetId()), v -> new ArrayList<>())
                        .add(new PublicIpMapping((String) cols[0], port.privateIp()));
            }
        }
        return result;
    }

    private List<SubnetEntity> subnetsOf(String vpcId) {
        return subnets.stream().filter(s -> s.vpcId.equals(vpcId)).toList();
    }

    private static Direction direction(String value) {
        return Direction.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
