package io.goncloud.core.vpc;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Route;
import io.goncloud.api.model.RouteTable;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.RouteTableService;
import io.goncloud.core.net.Cidr;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.InternetGatewayEntity;
import io.goncloud.core.persistence.Paging;
import io.goncloud.core.persistence.RouteEntity;
import io.goncloud.core.persistence.RouteTableAssociationEntity;
import io.goncloud.core.persistence.RouteTableEntity;
import io.goncloud.core.persistence.SubnetEntity;
import io.goncloud.core.persistence.VpcEntity;
import io.goncloud.core.validation.Check;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

@Component(service = RouteTableService.class)
public class RouteTableServiceImpl implements RouteTableService {

    static final String LOCAL = "local";
    static final Set<String> TARGET_TYPES = Set.of("igw", "nat", "instance");
    /** Routes are chosen by longest prefix; the column orders routes of equal prefix (local first). */
    static final int ROUTE_PRIORITY = 100;

    private final Database db;

    @Activate
    public RouteTableServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public Page<RouteTable> list(Caller caller, String vpcId, PageRequest page) {
        return db.read(em -> {
            VpcScope scope = VpcScope.of(em, caller, vpcId);
            return Paging.page(em, RouteTableEntity.class, scope.where(), scope.params(), page, rows -> toModels(em, rows));
        });
    }

    @Override
    public RouteTable create(Caller caller, CreateRouteTable request) {
        String name = name(request.name());
        return db.inTransaction(em -> {
            VpcEntity vpc = VpcServiceImpl.find(em, caller, request.vpcId(), true);
            RouteTableEntity table = newTable(em, vpc, name, false);
            return toModels(em, List.of(table)).get(0);
        });
    }

    /** A route table holding the local route; the VPC's main table is made this way too. */
    static RouteTableEntity newTable(EntityManager em, VpcEntity vpc, String name, boolean main) {
        RouteTableEntity table = new RouteTableEntity();
        table.id = Database.newId();
        table.vpcId = vpc.id;
        table.name = name;
        table.main = main;
        table.createdAt = main ? vpc.createdAt : Database.now();
        table.updatedAt = table.createdAt;
        em.persist(table);
        em.flush(); // rows have no mapped relations, so parents are written before their children by hand

        RouteEntity local = new RouteEntity();
        local.id = Database.newId();
        local.routeTableId = table.id;
        local.destinationCidr = vpc.cidrBlock;
        local.targetType = LOCAL;
        local.priority = 0;
        em.persist(local);
        em.flush();
        return table;
    }

    @Override
    public RouteTable get(Caller caller, String routeTableId) {
        return db.read(em -> toModels(em, List.of(find(em, caller, routeTableId, false).row())).get(0));
    }

    @Override
    public void delete(Caller caller, String routeTableId) {
        db.run(em -> {
            RouteTableEntity table = find(em, caller, routeTableId, true).row();
            if (table.main) {
                throw new GcpException(ErrorCode.CANNOT_DELETE, "The route table '" + table.id
                        + "' is its VPC's main route table and goes only with the VPC");
            }
            long associations = associations(em, table.id).size();
            if (associations > 0) {
                throw new GcpException(ErrorCode.DEPENDENCY_VIOLATION, "The routeTable '" + table.id
                        + "' has dependencies and cannot be deleted: " + associations + " associated subnet(s)");
            }
            em.remove(table); // its routes go with it (ON DELETE CASCADE)
        });
    }

    @Override
    public Route createRoute(Caller caller, String routeTableId, CreateRoute request) {
        Cidr destination = Check.cidr(request.destinationCidr(), "destination_cidr");
        String targetType = PacketRules.oneOf(request.targetType(), "target_type", TARGET_TYPES);
        if (request.targetId() == null || request.targetId().isBlank()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter target_id");
        }
        return db.inTransaction(em -> {
            VpcScoped.Found<RouteTableEntity> found = find(em, caller, routeTableId, true);
            RouteTableEntity table = found.row();
            VpcEntity vpc = found.vpc();
            RouteEntity existing = route(em, table.id, destination.toString());
            if (existing != null) {
                throw new GcpException(ErrorCode.ROUTE_ALREADY_EXISTS, "The route table '" + table.id
                        + "' already has a " + (LOCAL.equals(existing.targetType) ? "local route" : "route")
                        + " for " + destination);
            }
            Cidr vpcBlock = Cidr.parse(vpc.cidrBlock);
            if (vpcBlock.contains(destination)) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "The destination " + destination
                        + " lies within the VPC's block " + vpcBlock + ": the local route cannot be overridden");
            }
            String targetId = target(em, caller, vpc, targetType, request.targetId());
            RouteEntity route = new RouteEntity();
            route.id = Database.newId();
            route.routeTableId = table.id;
            route.destinationCidr = destination.toString();
            route.targetType = targetType;
            route.targetId = targetId;
            route.priority = ROUTE_PRIORITY;
            em.persist(route);
            table.updatedAt = VpcServiceImpl.later(table.updatedAt);
            em.flush();
            return toModel(route);
        });
    }

    /** Checks a route's target: an internet gateway attached to the VPC, or an instance in it. */
    private static String target(EntityManager em, Caller caller, VpcEntity vpc, String type, String targetId) {
        switch (type) {
            case "igw" -> {
                String id = Check.id(targetId, ErrorCode.GATEWAY_MALFORMED, "gateway id");
                InternetGatewayEntity gateway = em.find(InternetGatewayEntity.class, id);
                if (gateway == null || !caller.canSee(gateway.userId) || !gateway.userId.equals(vpc.userId)) {
                    throw new GcpException(ErrorCode.GATEWAY_NOT_FOUND, "The gateway ID '" + targetId + "' does not exist");
                }
                if (!vpc.id.equals(gateway.vpcId)) {
                    throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "The internet gateway '" + id
                            + "' is not attached to the route table's VPC (" + vpc.id + ")");
                }
                return id;
            }
            case "instance" -> {
                String id = Check.id(targetId, ErrorCode.INSTANCE_MALFORMED, "instance id");
                Instances.Row instance = Instances.find(em, id);
                if (instance == null || instance.terminated() || !caller.canSee(instance.userId())
                        || !vpc.id.equals(instance.vpcId())) {
                    throw new GcpException(ErrorCode.INSTANCE_NOT_FOUND, "The instance ID '" + targetId
                            + "' does not exist in the route table's VPC (" + vpc.id + ")");
                }
                return id;
            }
            default -> {
                Check.id(targetId, ErrorCode.INVALID_PARAMETER_VALUE, "NAT gateway id");
                throw new GcpException(ErrorCode.NAT_GATEWAY_NOT_FOUND, "The NAT gateway ID '" + targetId
                        + "' does not exist (this platform offers no NAT gateways yet)");
            }
        }
    }

    @Override
    public void deleteRoute(Caller caller, String routeTableId, String destinationCidr) {
        Cidr destination = Check.cidr(destinationCidr, "destination_cidr");
        db.run(em -> {
            RouteTableEntity table = find(em, caller, routeTableId, true).row();
            RouteEntity route = route(em, table.id, destination.toString());
            if (route == null) {
                throw new GcpException(ErrorCode.ROUTE_NOT_FOUND, "The route table '" + table.id
                        + "' has no route for " + destination);
            }
            if (LOCAL.equals(route.targetType)) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                        "The local route " + destination + " cannot be removed");
            }
            em.remove(route);
            table.updatedAt = VpcServiceImpl.later(table.updatedAt);
        });
    }

    @Override
    public RouteTable associate(Caller caller, String routeTableId, String subnetId) {
        return db.inTransaction(em -> {
            VpcScoped.Found<RouteTableEntity> found = find(em, caller, routeTableId, true);
            RouteTableEntity table = found.row();
            SubnetEntity subnet = VpcScoped.subnetOf(em, caller, found.vpc(), subnetId, "route table");
            RouteTableAssociationEntity association = em.createQuery(
                            "SELECT a FROM RouteTableAssociationEntity a WHERE a.subnetId = :subnet",
                            RouteTableAssociationEntity.class)
                    .setParameter("subnet", subnet.id).getResultList().stream().findFirst().orElse(null);
            if (association == null) {
                association = new RouteTableAssociationEntity();
                association.id = Database.newId();
                association.routeTableId = table.id;
                association.subnetId = subnet.id;
                association.createdAt = Database.now();
                em.persist(association);
            } else if (!association.routeTableId.equals(table.id)) {
                RouteTableEntity previous = em.find(RouteTableEntity.class, association.routeTableId);
                previous.updatedAt = VpcServiceImpl.later(previous.updatedAt);
                association.routeTableId = table.id;
                association.createdAt = Database.now();
            } else {
                return toModels(em, List.of(table)).get(0); // already uses this table
            }
            table.updatedAt = VpcServiceImpl.later(table.updatedAt);
            em.flush();
            return toModels(em, List.of(table)).get(0);
        });
    }

    @Override
    public void disassociate(Caller caller, String routeTableId, String subnetId) {
        db.run(em -> {
            VpcScoped.Found<RouteTableEntity> found = find(em, caller, routeTableId, true);
            RouteTableEntity table = found.row();
            SubnetEntity subnet = VpcScoped.subnetOf(em, caller, found.vpc(), subnetId, "route table");
            RouteTableAssociationEntity association = associations(em, table.id).stream()
                    .filter(a -> a.subnetId.equals(subnet.id)).findFirst()
                    .orElseThrow(() -> new GcpException(ErrorCode.ASSOCIATION_NOT_FOUND, "The subnet '" + subnet.id
                            + "' is not associated with the route table '" + table.id + "'"));
            em.remove(association);
            table.updatedAt = VpcServiceImpl.later(table.updatedAt);
        });
    }

    /** The caller's route table; with {@code lock}, its VPC is locked first. */
    static VpcScoped.Found<RouteTableEntity> find(EntityManager em, Caller caller, String routeTableId, boolean lock) {
        String id = Check.id(routeTableId, ErrorCode.ROUTE_TABLE_MALFORMED, "route table id");
        return VpcScoped.find(em, caller, RouteTableEntity.class, id, lock, () -> new GcpException(
                ErrorCode.ROUTE_TABLE_NOT_FOUND, "The routeTable ID '" + routeTableId + "' does not exist"));
    }

    private static RouteEntity route(EntityManager em, String tableId, String destination) {
        return em.createQuery("SELECT r FROM RouteEntity r WHERE r.routeTableId = :table AND r.destinationCidr = :dest",
                        RouteEntity.class)
                .setParameter("table", tableId).setParameter("dest", destination)
                .getResultList().stream().findFirst().orElse(null);
    }

    private static List<RouteTableAssociationEntity> associations(EntityManager em, String tableId) {
        return em.createQuery("SELECT a FROM RouteTableAssociationEntity a WHERE a.routeTableId = :table",
                        RouteTableAssociationEntity.class)
                .setParameter("table", tableId).getResultList();
    }

    private static String name(String name) {
        String checked = Check.optionalText(name, "name", 255);
        return checked == null ? "" : checked;
    }

    private static Route toModel(RouteEntity r) {
        return new Route(r.destinationCidr, r.targetType, r.targetId);
    }

    /** Models of a page of tables, with their routes and associations fetched in two queries. */
    static List<RouteTable> toModels(EntityManager em, List<RouteTableEntity> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> ids = rows.stream().map(t -> t.id).toList();
        Map<String, List<RouteEntity>> routes = new HashMap<>();
        em.createQuery("SELECT r FROM RouteEntity r WHERE r.routeTableId IN :ids", RouteEntity.class)
                .setParameter("ids", ids).getResultList()
                .forEach(r -> routes.computeIfAbsent(r.routeTableId, k -> new ArrayList<>()).add(r));
        Map<String, List<String>> subnets = new HashMap<>();
        em.createQuery("SELECT a FROM RouteTableAssociationEntity a WHERE a.routeTableId IN :ids "
                        + "ORDER BY a.createdAt, a.subnetId", RouteTableAssociationEntity.class)
                .setParameter("ids", ids).getResultList()
                .forEach(a -> subnets.computeIfAbsent(a.routeTableId, k -> new ArrayList<>()).add(a.subnetId));
        Comparator<RouteEntity> order = Comparator.<RouteEntity>comparingInt(r -> LOCAL.equals(r.targetType) ? 0 : 1)
                .thenComparing(r -> r.destinationCidr);
        return rows.stream().map(t -> new RouteTable(t.id, t.vpcId, t.name, t.main,
                routes.getOrDefault(t.id, List.of()).stream().sorted(order).map(RouteTableServiceImpl::toModel).toList(),
                subnets.getOrDefault(t.id, List.of()), t.createdAt.toInstant(), t.updatedAt.toInstant())).toList();
    }
}
