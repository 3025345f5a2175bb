package io.goncloud.itests;

import com.fasterxml.jackson.databind.JsonNode;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.itests.Http.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.goncloud.itests.Cluster.CONTROLLER;
import static io.goncloud.itests.Cluster.INTERNET;
import static io.goncloud.itests.Cluster.WORKERS;
import static io.goncloud.itests.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The three-server cloud, for real, through the REST API: {@code scripts/cluster.sh up} starts a controller and two
 * workers as three hosts (network namespaces on an underlay, one Karaf and, on workers, one Docker Engine each);
 * tenants' instances land on both workers and talk across them over the VXLAN overlay, public addresses answer
 * from an "internet" namespace, security groups hold on both hosts; then processes are killed with SIGKILL (a
 * worker during launches, the controller with its broker, a worker for longer than the node timeout) and the
 * cloud must converge with every instance exactly once and nothing orphaned. The methods run in order and share
 * the cluster and the tenants' resources.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeHostClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int WEB_PORT = 8080;

    private Cluster cluster;
    private Http api;
    private String admin;
    private String alice;
    private String image;
    private String vpc;
    private String subnetA;
    private String subnetB;
    private String web;
    private String webRule;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final List<String> bobVpcs = new ArrayList<>();
    private String bob;
    private final String tenantSuffix = UUID.randomUUID().toString().substring(0, 8);

    /** An instance as the test knows it: its id, addresses, and the token its web server answers with. */
    record Instance(String id, String privateIp, String publicIp, String token) {
    }

    @BeforeAll
    void up() throws Exception {
        boolean ci = System.getenv("CI") != null;
        boolean root = "0".equals(Cluster.exec("id", "-u").replaceFirst("^0: ", "").strip());
        if (!ci) {
            assumeTrue(root, "the three-host cluster needs root (namespaces, a Docker Engine per worker)");
            assumeTrue(Cluster.exec("dockerd", "--version").startsWith("0:"), "needs dockerd (apt-get install docker.io)");
        }
        Path repository = Path.of(System.getProperty("gcp.repository")).toRealPath();
        Path log = Path.of("target/cluster.log").toAbsolutePath();
        Files.deleteIfExists(log);
        cluster = new Cluster(repository, log);
        cluster.up();
        api = new Http(cluster.apiBase());
        api.awaitReady(Duration.ofSeconds(120));
        admin = login("admin@gcp.local", cluster.adminPassword());
        for (String worker : WORKERS) {
            assertTrue(eventually(() -> "up".equals(node(worker).path("state").asText())),
                    worker + " should report to the controller and be up: " + nodes());
        }
    }

    @AfterAll
    void down() {
        if (cluster != null) {
            cluster.down();
            for (String host : List.of(CONTROLLER, WORKERS.get(0), WORKERS.get(1), INTERNET)) {
                assertFalse(Cluster.exec("ip", "netns", "list").contains(host + " "), host + " is removed");
            }
        }
    }

    @Test
    @Order(1)
    void instancesOfOneVpcTalkAcrossWorkersAndAnswerFromTheInternet() throws Exception {
        alice = register("alice");
        image = awaitImage(alice);
        vpc = api.post("/vpcs", alice, json("name", "shop", "cidr_block", "10.70.0.0/16")).text("id");
        subnetA = subnet(alice, vpc, "10.70.1.0/24");
        subnetB = subnet(alice, vpc, "10.70.2.0/24");
        String gateway = api.post("/internet-gateways", alice, json("name", "shop-igw")).text("id");
        assertEquals(200, api.post("/internet-gateways/" + gateway + "/attach", alice, json("vpc_id", vpc)).status);
        String mainTable = mainRouteTable(alice, vpc);
        Reply route = api.post("/route-tables/" + mainTable + "/routes", alice, json("destination_cidr", "0.0.0.0/0",
                "target_type", "igw", "target_id", gateway));
        assertEquals(201, route.status, route.toString());
        web = api.post("/security-groups", alice, json("vpc_id", vpc, "name", "web", "description", "web")).text("id");
        webRule = openWebPort(alice, web);

        launch("a1", subnetA);
        launch("a2", subnetA);
        launch("b1", subnetB);
        launch("b2", subnetB);
        for (String name : instances.keySet()) {
            awaitState(alice, name, "running");
        }
        Set<String> hosts = new HashSet<>();
        for (String name : instances.keySet()) {
            hosts.add(hostOf(alice, name));
        }
        assertEquals(Set.copyOf(WORKERS), hosts, "spread placement puts instances on both workers");

        assertTrue(eventually(() -> reaches("a1", "a2")), "same subnet, one worker to the other: "
                + hostOf("a1") + " -> " + hostOf("a2"));
        String[] crossHostPair = crossHost("a1", "b1", "b2");
        assertTrue(eventually(() -> reaches(crossHostPair[0], crossHostPair[1])), "across subnets through the VPC "
                + "router, one worker to the other: " + String.join(" -> ", crossHostPair));
        for (String name : List.of("a1", "a2")) {
            assertTrue(eventually(() -> answersFromInternet(name)), "public address of " + name + " on "
                    + hostOf(name) + " answers from the internet namespace");
        }
    }

    @Test
    @Order(2)
    void anotherTenantsOverlappingVpcStaysApart() throws Exception {
        bob = register("bob");
        String bobVpc = api.post("/vpcs", bob, json("name", "same-range", "cidr_block", "10.70.0.0/16")).text("id");
        bobVpcs.add(bobVpc);
        String bobSubnet = subnet(bob, bobVpc, "10.70.1.0/24");
        launchAs(bob, "bob1", bobSubnet, List.of());
        awaitState(bob, "bob1", "running");
        Instance bob1 = instances.get("bob1");
        assertEquals(instances.get("a1").privateIp(), bob1.privateIp(), "the same private address, in another VPC");
        assertFalse(reaches("bob1", "a2"), "bob's instance must not reach alice's neighbour address");
        assertFalse(get("bob1", bob1.privateIp()).contains(instances.get("a1").token()),
                "bob's own address answers as bob's, not alice's");
        assertEquals(404, api.get("/instances/" + instances.get("a1").id(), bob).status,
                "another tenant's instance id answers 404");
    }

    @Test
    @Order(3)
    void aSecurityGroupChangeHoldsOnBothWorkers() throws Exception {
        assertEquals(204, api.delete("/security-groups/" + web + "/rules/" + webRule, alice).status);
        String[] crossHost = crossHost("a1", "a2", "b1", "b2");
        assertTrue(eventually(() -> !reaches("a1", "a2") && !reaches(crossHost[0], crossHost[1])),
                "without the rule, port 8080 closes on " + hostOf("a2") + " and " + hostOf(crossHost[1]));
        assertTrue(eventually(() -> !answersFromInternet("a1") && !answersFromInternet("a2")),
                "and for the internet on both workers");
        webRule = openWebPort(alice, web);
        assertTrue(eventually(() -> reaches("a1", "a2") && reaches(crossHost[0], crossHost[1])),
                "the rule opens it again on both workers");
    }

    @Test
    @Order(4)
    void stopStartKeepsTheInstanceOnItsWorkerAndItsAddress() throws Exception {
        String host = hostOf("a2");
        assertEquals("stopping", api.post("/instances/" + id("a2") + "/stop", alice, "{}").text("state"));
        awaitState(alice, "a2", "stopped");
        assertFalse(Cluster.docker(host, "inspect", "-f", "{{.State.Running}}", container("a2")).contains("true"),
                "the container stopped on " + host);
        assertEquals("pending", api.post("/instances/" + id("a2") + "/start", alice, "{}").text("state"));
        Reply running = awaitState(alice, "a2", "running");
        assertEquals(instances.get("a2").privateIp(), running.text("private_ip"));
        assertTrue(eventually(() -> reaches("a1", "a2")), "it answers again from the other worker");
    }

    @Test
    @Order(5)
    void aWorkerKilledDuringLaunchesConvergesWithEveryInstanceOnce() throws Exception {
        for (String name : List.of("k1", "k2", "k3", "k4")) {
            launch(name, subnetA);
        }
        cluster.kill(WORKERS.get(0));
        cluster.start(WORKERS.get(0));
        for (String name : List.of("k1", "k2", "k3", "k4")) {
            awaitState(alice, name, "running");
        }
        assertEveryInstanceRunsOnceAndNothingElse();
        assertTrue(eventually(() -> reaches("k1", "k2") && reaches("k2", "k1")), "the relaunched instances talk");
    }

    @Test
    @Order(6)
    void theControllerAndItsBrokerKilledLoseNoAnsweredRequest() throws Exception {
        Reply group = api.post("/security-groups", alice, json("vpc_id", vpc, "name", "answered-before-crash",
                "description", "must survive"));
        assertEquals(201, group.status, group.toString());
        launch("c1", subnetB);
        cluster.kill(CONTROLLER);
        cluster.start(CONTROLLER);
        alice = login("alice-" + tenantSuffix + "@example.test", "pw-alice-123");
        admin = login("admin@gcp.local", cluster.adminPassword());
        assertEquals(200, api.get("/security-groups/" + group.text("id"), alice).status,
                "an answered create is there after the crash");
        awaitState(alice, "c1", "running");
        for (String worker : WORKERS) {
            assertTrue(eventually(() -> "up".equals(node(worker).path("state").asText())),
                    worker + " reconnects to the restarted broker");
        }
        assertEveryInstanceRunsOnceAndNothingElse();
        // The workers follow new desired state again: a rule change after the restart reaches both.
        assertEquals(204, api.delete("/security-groups/" + web + "/rules/" + webRule, alice).status);
        assertTrue(eventually(() -> !reaches("a1", "a2") && !answersFromInternet("a1")),
                "a change after the restart closes port 8080 on the workers");
        webRule = openWebPort(alice, web);
        assertTrue(eventually(() -> reaches("a1", "a2") && answersFromInternet("a2")), "and opens it again");
    }

    @Test
    @Order(7)
    void aWorkerDownForLongerThanTheNodeTimeoutGetsNoLaunchesAndComesBack() throws Exception {
        String down = WORKERS.get(1);
        String up = WORKERS.get(0);
        List<String> onDown = new ArrayList<>();
        for (String name : instances.keySet()) {
            if (instances.get(name).token().startsWith("alice") && down.equals(hostOf(name))) {
                onDown.add(name);
            }
        }
        assertFalse(onDown.isEmpty(), "alice has instances on " + down);
        cluster.kill(down);
        assertTrue(eventually(() -> "down".equals(node(down).path("state").asText())), down + " is marked down");
        Reply unknown = api.get("/instances/" + id(onDown.get(0)), alice);
        assertTrue(unknown.text("state_reason").contains("unknown"), "its instances' state is unknown: " + unknown);
        launch("d1", subnetA);
        assertEquals(up, hostOf(alice, "d1"), "nothing is placed on a down worker");
        awaitState(alice, "d1", "running");

        cluster.start(down);
        assertTrue(eventually(() -> "up".equals(node(down).path("state").asText())), down + " comes back");
        for (String name : onDown) {
            awaitState(alice, name, "running");
        }
        assertEveryInstanceRunsOnceAndNothingElse();
        assertTrue(eventually(() -> reaches("d1", onDown.get(0))), "its instances answer again across workers");
    }

    @Test
    @Order(8)
    void aDriverUninstalledOnOneWorkerAtRuntimeChangesWhereLaunchesGo() throws Exception {
        String changed = WORKERS.get(1);
        String other = WORKERS.get(0);
        List<String> onChanged = new ArrayList<>();
        for (String name : instances.keySet()) {
            if (instances.get(name).token().startsWith("alice") && changed.equals(hostOf(name))) {
                onChanged.add(name);
            }
        }
        assertFalse(onChanged.isEmpty(), "alice has instances on " + changed);
        // The operator's shell key is made on first use; Karaf reads it a moment later.
        assertTrue(eventually(() -> cluster.shell(changed, "feature:list -i").contains("gcp-driver-compute-docker")),
                "the operator shell of " + changed + " answers");

        String uninstalled = cluster.shell(changed, "feature:uninstall gcp-driver-compute-docker");
        assertTrue(uninstalled.startsWith("0:"), uninstalled);
        assertTrue(eventually(() -> !node(changed).path("capabilities").toString().contains("image-format:docker-rootfs")),
                changed + " stops offering containers: " + node(changed));
        launch("h1", subnetA);
        assertEquals(other, hostOf(alice, "h1"), "a container goes where a driver can run it");
        awaitState(alice, "h1", "running");
        for (String name : onChanged) {
            assertEquals("running", api.get("/instances/" + id(name), alice).text("state"),
                    "the containers of " + changed + " are left alone");
            assertTrue(Cluster.docker(changed, "inspect", "-f", "{{.State.Running}}", container(id(name)))
                    .contains("true"), name + " still runs");
        }

        String installed = cluster.shell(changed, "feature:install gcp-driver-compute-docker");
        assertTrue(installed.startsWith("0:"), installed);
        assertTrue(eventually(() -> node(changed).path("capabilities").toString().contains("image-format:docker-rootfs")),
                changed + " offers containers again");
        assertEveryInstanceRunsOnceAndNothingElse();
        assertTrue(eventually(() -> reaches("h1", onChanged.get(0))), "the adopted instance answers across workers");
    }

    @Test
    @Order(9)
    void terminatingEverythingLeavesNothingOnAnyHost() throws Exception {
        for (String name : instances.keySet()) {
            String owner = instances.get(name).token().startsWith("bob") ? bob : alice;
            api.delete("/instances/" + id(name), owner);
        }
        for (String name : instances.keySet()) {
            awaitState(instances.get(name).token().startsWith("bob") ? bob : alice, name, "terminated");
        }
        deleteVpc(alice, vpc);
        for (String bobVpc : bobVpcs) {
            deleteVpc(bob, bobVpc);
        }
        for (String worker : WORKERS) {
            assertTrue(eventually(() -> Cluster.docker(worker, "ps", "-aq").replaceFirst("^0: ", "").isBlank()),
                    "no container left on " + worker + ": " + Cluster.docker(worker, "ps", "-a"));
            assertTrue(eventually(() -> ownedLinks(worker).isEmpty()), "no port, bridge or tunnel left on " + worker
                    + ": " + ownedLinks(worker));
            assertTrue(eventually(() -> {
                String ruleset = Cluster.in(worker, "nft", "list", "ruleset");
                return instances.values().stream().noneMatch(i -> ruleset.contains(port(i.id())));
            }), "no instance's firewall rules left on " + worker + ": " + Cluster.in(worker, "nft", "list", "ruleset"));
        }
        for (String id : List.of(vpc, bobVpcs.get(0))) {
            assertTrue(eventually(() -> !Cluster.exec("ip", "netns", "list").contains(id)),
                    "the VPC's router namespace is gone from the controller");
        }
    }

    // --- the tenants' side

    private String register(String name) throws Exception {
        String email = name + "-" + tenantSuffix + "@example.test";
        Reply registered = api.post("/auth/register", null, json("username", name, "email", email,
                "password", "pw-" + name + "-123"));
        assertEquals(201, registered.status, registered.toString());
        return login(email, "pw-" + name + "-123");
    }

    private String login(String email, String password) throws Exception {
        Reply login = api.post("/auth/login", null, json("email", email, "password", password));
        assertEquals(200, login.status, login.toString());
        return login.text("access_token");
    }

    private String awaitImage(String token) {
        String[] found = new String[1];
        assertTrue(eventually(() -> {
            try {
                for (JsonNode candidate : api.get("/images", token).body.path("items")) {
                    if ("busybox".equals(candidate.path("name").asText())) {
                        found[0] = candidate.path("id").asText();
                        return true;
                    }
                }
            } catch (Exception e) {
                return false;
            }
            return false;
        }), "the default busybox image is listed");
        return found[0];
    }

    private String subnet(String token, String vpcId, String cidr) throws Exception {
        Reply subnet = api.post("/subnets", token, json("vpc_id", vpcId, "name", cidr, "cidr_block", cidr,
                "map_public_ip_on_launch", token.equals(alice)));
        assertEquals(201, subnet.status, subnet.toString());
        return subnet.text("id");
    }

    private String mainRouteTable(String token, String vpcId) throws Exception {
        for (JsonNode table : api.get("/route-tables?vpc_id=" + vpcId, token).body.path("items")) {
            if (table.path("is_main").asBoolean()) {
                return table.path("id").asText();
            }
        }
        throw new AssertionError("no main route table for " + vpcId);
    }

    private String openWebPort(String token, String group) throws Exception {
        Reply rule = api.post("/security-groups/" + group + "/rules", token, json("direction", "inbound",
                "protocol", "tcp", "from_port", WEB_PORT, "to_port", WEB_PORT, "source", "0.0.0.0/0"));
        assertEquals(201, rule.status, rule.toString());
        return rule.text("id");
    }

    private void launch(String name, String subnet) throws Exception {
        launchAs(alice, name, subnet, List.of(web));
    }

    /** Launches an instance whose web server answers with a token naming it, at every boot. */
    private void launchAs(String token, String name, String subnet, List<String> groups) throws Exception {
        String answer = (token.equals(bob) ? "bob-" : "alice-") + name + "-" + tenantSuffix;
        String userData = "#!/bin/sh\nmkdir -p /www && echo " + answer + " > /www/index.html\n"
                + "printf '#!/bin/sh\\nhttpd -p " + WEB_PORT + " -h /www\\n' > /etc/rc.local && chmod +x /etc/rc.local\n";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("instance_type", "t2.nano");
        body.put("image_id", image);
        body.put("subnet_id", subnet);
        body.put("user_data", userData);
        if (!groups.isEmpty()) {
            body.put("security_group_ids", groups);
        }
        Reply reply = api.post("/instances", token, Http.JSON.writeValueAsString(body));
        assertEquals(201, reply.status, reply.toString());
        instances.put(name, new Instance(reply.text("id"), reply.text("private_ip"), reply.text("public_ip"), answer));
    }

    private Reply awaitState(String token, String name, String state) throws Exception {
        Reply[] last = new Reply[1];
        boolean reached = eventually(() -> {
            try {
                last[0] = api.get("/instances/" + id(name), token);
                return state.equals(last[0].text("state"));
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(reached, name + " should become " + state + ": " + last[0]);
        return last[0];
    }

    private void deleteVpc(String token, String vpcId) {
        Reply[] last = new Reply[1];
        assertTrue(eventually(() -> {
            try {
                for (JsonNode subnet : api.get("/subnets?vpc_id=" + vpcId, token).body.path("items")) {
                    api.delete("/subnets/" + subnet.path("id").asText(), token);
                }
                for (JsonNode group : api.get("/security-groups?vpc_id=" + vpcId, token).body.path("items")) {
                    if (!group.path("is_default").asBoolean()) {
                        api.delete("/security-groups/" + group.path("id").asText(), token);
                    }
                }
                for (JsonNode table : api.get("/route-tables?vpc_id=" + vpcId, token).body.path("items")) {
                    for (JsonNode route : table.path("routes")) {
                        if ("igw".equals(route.path("target_type").asText())) {
                            api.delete("/route-tables/" + table.path("id").asText() + "/routes?destination_cidr="
                                    + route.path("destination_cidr").asText(), token);
                        }
                    }
                }
                for (JsonNode gateway : api.get("/internet-gateways", token).body.path("items")) {
                    String gatewayId = gateway.path("id").asText();
                    api.post("/internet-gateways/" + gatewayId + "/detach", token, json("vpc_id", vpcId));
                    api.delete("/internet-gateways/" + gatewayId, token);
                }
                last[0] = api.delete("/vpcs/" + vpcId, token);
                return last[0].status == 204;
            } catch (Exception e) {
                return false;
            }
        }), "VPC " + vpcId + " can be deleted once its instances are gone: " + last[0]);
    }

    // --- the hosts' side

    private final Map<String, String> hostOfInstance = new HashMap<>();

    private String id(String name) {
        return instances.get(name).id();
    }

    /** The host side of an instance's NIC. */
    private static String port(String instanceId) {
        return HostNames.portDevice(instanceId);
    }

    private static String container(String id) {
        return "gcp-" + id;
    }

    /** The worker an instance was placed on, by its node's host name. */
    private String hostOf(String token, String name) throws Exception {
        String nodeId = api.get("/instances/" + id(name), token).text("worker_node_id");
        String host = api.get("/nodes/" + nodeId, admin).text("hostname");
        hostOfInstance.put(name, host);
        return host;
    }

    private String hostOf(String name) {
        String known = hostOfInstance.get(name);
        if (known != null) {
            return known;
        }
        try {
            return hostOf(name.startsWith("bob") ? bob : alice, name);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The first of the candidates that lives on another worker than {@code from}, as a pair. */
    private String[] crossHost(String from, String... candidates) {
        for (String candidate : candidates) {
            if (!candidate.equals(from) && !hostOf(candidate).equals(hostOf(from))) {
                return new String[] {from, candidate};
            }
        }
        throw new AssertionError("no instance among " + List.of(candidates) + " on another worker than " + from);
    }

    private boolean reaches(String from, String to) {
        return get(from, instances.get(to).privateIp()).contains(instances.get(to).token());
    }

    /** An HTTP GET from inside an instance (busybox nc in its container, on its worker). */
    private String get(String from, String address) {
        return Cluster.docker(hostOf(from), "exec", container(id(from)), "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + address + " " + WEB_PORT);
    }

    private boolean answersFromInternet(String name) {
        Instance instance = instances.get(name);
        assertFalse(instance.publicIp().isBlank() || "null".equals(instance.publicIp()), name + " has a public IP");
        return Cluster.in(INTERNET, "curl", "-s", "-m", "3", "http://" + instance.publicIp() + ":" + WEB_PORT + "/")
                .contains(instance.token());
    }

    /**
     * Every instance the API calls running has exactly one container, on the worker it was placed on, and running;
     * no worker holds a container of the platform's that no live instance owns.
     */
    private void assertEveryInstanceRunsOnceAndNothingElse() throws Exception {
        Set<String> live = new HashSet<>();
        for (Map.Entry<String, Instance> entry : instances.entrySet()) {
            String owner = entry.getValue().token().startsWith("bob") ? bob : alice;
            Reply instance = api.get("/instances/" + entry.getValue().id(), owner);
            if (!"terminated".equals(instance.text("state"))) {
                live.add(container(entry.getValue().id()));
            }
        }
        Map<String, String> containerHost = new HashMap<>();
        for (String worker : WORKERS) {
            String listing = Cluster.docker(worker, "ps", "-a", "--format", "{{.Names}}");
            assertTrue(listing.startsWith("0:"), listing);
            for (String line : listing.replaceFirst("^0: ", "").split("\n")) {
                String name = line.strip();
                if (name.isEmpty()) {
                    continue;
                }
                assertTrue(live.contains(name), "container " + name + " on " + worker + " belongs to no live instance");
                String earlier = containerHost.put(name, worker);
                assertEquals(null, earlier, name + " runs on both " + earlier + " and " + worker);
            }
        }
        for (String name : instances.keySet()) {
            String container = container(id(name));
            if (live.contains(container)) {
                assertEquals(hostOf(name), containerHost.get(container), name + " runs where it was placed, once");
            }
        }
    }

    private static List<String> ownedLinks(String host) {
        List<String> owned = new ArrayList<>();
        for (String line : Cluster.in(host, "ip", "-o", "link", "show").split("\n")) {
            String[] fields = line.split(": ");
            if (fields.length > 1 && fields[1].startsWith("gcp")) {
                owned.add(fields[1].split("@")[0]);
            }
        }
        return owned;
    }

    private JsonNode node(String hostname) {
        for (JsonNode node : nodes().path("items")) {
            if (hostname.equals(node.path("hostname").asText())) {
                return node;
            }
        }
        return Http.JSON.missingNode();
    }

    private JsonNode nodes() {
        try {
            return api.get("/nodes", admin).body;
        } catch (Exception e) {
            return Http.JSON.missingNode();
        }
    }

    /** Polls a condition that depends on the cloud's asynchronous work, until true or the deadline. */
    private static boolean eventually(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(500); // polling other processes' work
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
