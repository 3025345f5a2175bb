package io.goncloud.itests;

import io.goncloud.itests.Http.Reply;
import org.apache.karaf.features.FeaturesService;
import org.junit.Assume;
import org.junit.FixMethodOrder;
import org.junit.runners.MethodSorters;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.goncloud.itests.Http.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

/**
 * The all-in-one distribution as built, running instances for real: REST calls -> controller -> Artemis ->
 * the worker's instance agent -> Docker, with the network agent building the VPCs through the Linux-bridge and
 * nftables drivers. The drivers work in a network namespace the test creates (their {@code host.netns}), so the
 * host's own network is never touched; only the VPC routers' namespaces are machine-wide, and the test deletes
 * them. Needs root and a running dockerd (the README's test command starts one).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING) // the last one deletes the host namespace
public class InstancesOnAllInOneTest {

    private static final String HTTP_PORT = AllInOneDistribution.HTTP_PORT;
    private static final String HOST_NETNS = "gcp.itest.host.netns";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** A web server that comes back at every boot (user data runs once, /etc/rc.local at each boot). */
    private static final String WEB_SERVER = "#!/bin/sh\nmkdir -p /www && echo pong > /www/index.html\n"
            + "printf '#!/bin/sh\\nhttpd -p 8080 -h /www\\n' > /etc/rc.local && chmod +x /etc/rc.local\n";

    @Inject
    private FeaturesService features;
    @Inject
    private BundleContext bundles;

    private Http api;

    @Configuration
    public Option[] config() {
        String hostNetns = HostNamespace.create();
        return AllInOneDistribution.options(
            // Everything the drivers make on "the host" goes into the test's namespace.
            editConfigurationFilePut("etc/io.goncloud.agent.cfg", "enabled", "true"),
            editConfigurationFilePut("etc/io.goncloud.agent.cfg", "host.id", hostNetns),
            editConfigurationFilePut("etc/io.goncloud.agent.cfg", "heartbeat.seconds", "2"),
            editConfigurationFilePut("etc/io.goncloud.driver.linuxbridge.cfg", "host.netns", hostNetns),
            editConfigurationFilePut("etc/io.goncloud.driver.nftables.cfg", "host.netns", hostNetns),
            editConfigurationFilePut("etc/io.goncloud.driver.docker.cfg", "host.netns", hostNetns),
            // The instances' mounted files stay in the build directory, not in the host's /var/lib/gcp.
            editConfigurationFilePut("etc/io.goncloud.driver.docker.cfg", "state.dir",
                    new java.io.File("target/docker-state").getAbsolutePath()),
            systemProperty(HOST_NETNS).value(hostNetns));
    }

    @Before
    public void awaitApi() throws Exception {
        Assume.assumeTrue("needs a running dockerd (the README's test command starts one)",
                exec("docker", "version").startsWith("0:"));
        api = new Http("http://127.0.0.1:" + System.getProperty(HTTP_PORT) + "/api/v1");
        api.awaitReady(Duration.ofSeconds(90));
    }

    @Test
    public void instancesRunTalkAreFirewalledStopStartAndTerminateThroughTheApi() throws Exception {
        String email = "alice-" + UUID.randomUUID() + "@example.test";
        assertEquals(201, api.post("/auth/register", null, json("username", "alice", "email", email,
                "password", "pw-alice-123")).status);
        String token = api.post("/auth/login", null, json("email", email, "password", "pw-alice-123"))
                .text("access_token");
        assertEquals("GET /instances must answer (a missing route is a regression)", 200, api.get("/instances", token).status);
        List<String> vpcs = new ArrayList<>();
        List<String> instances = new ArrayList<>();
        try {
            String image = await("the default busybox image", () -> imageId(token));
            // The worker registers itself with its first heartbeat; the operator sees it at /nodes.
            String admin = adminToken();
            await("an up worker that boots docker-rootfs images", () -> dockerWorker(admin));
            Reply vpc = api.post("/vpcs", token, json("name", "app", "cidr_block", "10.61.0.0/16"));
            vpcs.add(vpc.text("id"));
            String subnet = api.post("/subnets", token, json("vpc_id", vpc.text("id"), "name", "web",
                    "cidr_block", "10.61.1.0/24")).text("id");

            Reply a = launch(token, image, subnet, null);
            Reply b = launch(token, image, subnet, null);
            instances.add(a.text("id"));
            instances.add(b.text("id"));
            assertEquals("10.61.1.4", a.text("private_ip"));
            assertEquals("10.61.1.5", b.text("private_ip"));
            awaitState(token, a.text("id"), "running");
            awaitState(token, b.text("id"), "running");
            assertTrue("instances of one subnet talk over TCP", eventually(() -> reaches(a, b)));

            Reply other = api.post("/vpcs", token, json("name", "other", "cidr_block", "10.62.0.0/16"));
            vpcs.add(other.text("id"));
            String otherSubnet = api.post("/subnets", token, json("vpc_id", other.text("id"), "name", "s",
                    "cidr_block", "10.62.1.0/24")).text("id");
            Reply stranger = launch(token, image, otherSubnet, null);
            instances.add(stranger.text("id"));
            awaitState(token, stranger.text("id"), "running");
            assertFalse("another VPC's instance cannot reach them", reaches(stranger, b));

            // A group without inbound rules closes b; a rule opens it again, on the running instance.
            String web = api.post("/security-groups", token, json("vpc_id", vpc.text("id"), "name", "web",
                    "description", "web servers")).text("id");
            assertEquals(200, api.put("/instances/" + b.text("id"), token, json("security_group_ids", List.of(web))).status);
            assertTrue("the new group admits nothing", eventually(() -> !reaches(a, b)));
            Reply rule = api.post("/security-groups/" + web + "/rules", token, json("direction", "inbound",
                    "protocol", "tcp", "from_port", 8080, "to_port", 8080, "source", "10.61.0.0/16"));
            assertEquals(rule.toString(), 201, rule.status);
            assertTrue("the rule opens port 8080 live", eventually(() -> reaches(a, b)));

            assertEquals("stopping", api.post("/instances/" + b.text("id") + "/stop", token, "{}").text("state"));
            awaitState(token, b.text("id"), "stopped");
            assertEquals("pending", api.post("/instances/" + b.text("id") + "/start", token, "{}").text("state"));
            Reply restarted = awaitState(token, b.text("id"), "running");
            assertEquals("stop and start keep the private address", b.text("private_ip"), restarted.text("private_ip"));
            assertTrue("and it answers there again", eventually(() -> reaches(a, b)));

            assertEquals("shutting-down", api.delete("/instances/" + b.text("id"), token).text("state"));
            awaitState(token, b.text("id"), "terminated");
            assertFalse("the container is gone", exec("docker", "inspect", "gcp-" + b.text("id")).startsWith("0:"));
            String port = "gcpp" + b.text("id").replace("-", "").substring(0, 11);
            String hostNetns = System.getProperty(HOST_NETNS);
            assertTrue("its port is gone", eventually(() -> !exec("ip", "-n", hostNetns, "link", "show", port)
                    .startsWith("0:")));
            assertTrue("and its rules", eventually(() -> !exec("ip", "netns", "exec", hostNetns, "nft", "list",
                    "ruleset").contains(port)));
        } finally {
            for (String id : instances) {
                api.delete("/instances/" + id, token);
            }
            for (String id : instances) {
                eventually(() -> !exec("docker", "inspect", "gcp-" + id).startsWith("0:"));
            }
            deleteVpcs(token, vpcs);
        }
    }

    @Test
    public void theDockerDriverCanBeUninstalledAndReinstalledWhileInstancesRun() throws Exception {
        String email = "bob-" + UUID.randomUUID() + "@example.test";
        api.post("/auth/register", null, json("username", "bob", "email", email, "password", "pw-bob-12345"));
        String token = api.post("/auth/login", null, json("email", email, "password", "pw-bob-12345")).text("access_token");
        assertEquals("GET /instances must answer (a missing route is a regression)", 200, api.get("/instances", token).status);
        String admin = adminToken();
        String image = await("the default busybox image", () -> imageId(token));
        await("an up worker that boots docker-rootfs images", () -> dockerWorker(admin));
        Reply vpc = api.post("/vpcs", token, json("name", "swap", "cidr_block", "10.63.0.0/16"));
        String subnet = api.post("/subnets", token, json("vpc_id", vpc.text("id"), "name", "s",
                "cidr_block", "10.63.1.0/24")).text("id");
        Reply running = launch(token, image, subnet, null);
        try {
            awaitState(token, running.text("id"), "running");
            Bundle core = bundle("gcp-core");
            long coreSince = core.getLastModified();

            features.uninstallFeature("gcp-driver-compute-docker");
            assertTrue("the worker stops offering docker-rootfs", eventually(() -> dockerWorker(admin) == null));
            Reply refused = api.post("/instances", token, json("instance_type", "t2.nano", "image_id", image,
                    "subnet_id", subnet));
            assertEquals(refused.toString(), 503, refused.status);
            assertEquals("InsufficientInstanceCapacity", refused.code());
            assertTrue("the running container is left alone", exec("docker", "inspect", "-f", "{{.State.Running}}",
                    "gcp-" + running.text("id")).contains("true"));
            assertEquals("running", api.get("/instances/" + running.text("id"), token).text("state"));
            assertEquals("core bundles are not refreshed", Bundle.ACTIVE, core.getState());
            assertEquals(coreSince, core.getLastModified());

            features.installFeature("gcp-driver-compute-docker");
            await("the worker offering docker-rootfs again", () -> dockerWorker(admin));
            assertEquals("stopping", api.post("/instances/" + running.text("id") + "/stop", token, "{}").text("state"));
            awaitState(token, running.text("id"), "stopped");
        } finally {
            api.delete("/instances/" + running.text("id"), token);
            eventually(() -> !exec("docker", "inspect", "gcp-" + running.text("id")).startsWith("0:"));
            deleteVpcs(token, List.of(vpc.text("id")));
            // The configuring JVM's shutdown hook deletes it too, but surefire may halt that JVM first.
            exec("ip", "netns", "del", System.getProperty(HOST_NETNS));
        }
    }

    /**
     * Deletes the VPCs through the API once their instances are gone, so that the network agent removes their
     * routers (a router namespace deleted by hand would be re-created while its VPC exists).
     */
    private void deleteVpcs(String token, List<String> vpcIds) throws Exception {
        for (String vpc : vpcIds) {
            eventually(() -> {
                try {
                    for (var subnet : api.get("/subnets?vpc_id=" + vpc, token).body.path("items")) {
                        api.delete("/subnets/" + subnet.path("id").asText(), token);
                    }
                    for (var group : api.get("/security-groups?vpc_id=" + vpc, token).body.path("items")) {
                        if (!group.path("is_default").asBoolean()) {
                            api.delete("/security-groups/" + group.path("id").asText(), token);
                        }
                    }
                    return api.delete("/vpcs/" + vpc, token).status == 204;
                } catch (Exception e) {
                    return false;
                }
            });
            eventually(() -> !exec("ip", "netns", "list").contains("gcpr-" + vpc));
        }
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : bundles.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private String adminToken() throws Exception {
        return api.post("/auth/login", null, json("email", "admin@gcp.local", "password",
                java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("karaf.data"), "gcp",
                        "initial-admin-password")).strip())).text("access_token");
    }

    private Reply launch(String token, String image, String subnet, List<String> groups) throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("instance_type", "t2.nano");
        body.put("image_id", image);
        body.put("subnet_id", subnet);
        body.put("user_data", WEB_SERVER);
        if (groups != null) {
            body.put("security_group_ids", groups);
        }
        Reply reply = api.post("/instances", token, Http.JSON.writeValueAsString(body));
        assertTrue(reply.toString(), reply.status == 201 || reply.status == 200);
        assertEquals("pending", reply.text("state"));
        return reply;
    }

    private String imageId(String token) {
        try {
            for (var image : api.get("/images", token).body.path("items")) {
                if ("busybox".equals(image.path("name").asText())) {
                    return image.path("id").asText();
                }
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    private String dockerWorker(String adminToken) {
        try {
            for (var node : api.get("/nodes", adminToken).body.path("items")) {
                if ("up".equals(node.path("state").asText())
                        && node.path("capabilities").toString().contains("image-format:docker-rootfs")) {
                    return node.path("hostname").asText();
                }
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    private Reply awaitState(String token, String id, String state) throws Exception {
        Reply[] last = new Reply[1];
        boolean reached = eventually(() -> {
            try {
                last[0] = api.get("/instances/" + id, token);
                return state.equals(last[0].text("state"));
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue("instance " + id + " should become " + state + ": " + last[0], reached);
        return last[0];
    }

    /** Whether {@code from} gets "pong" from {@code to}'s web server (busybox nc inside the container). */
    private static boolean reaches(Reply from, Reply to) {
        return exec("docker", "exec", "gcp-" + from.text("id"), "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + to.text("private_ip") + " 8080").contains("pong");
    }

    private static <T> T await(String what, java.util.function.Supplier<T> value) {
        T[] found = (T[]) new Object[1];
        assertTrue(what + " did not appear", eventually(() -> (found[0] = value.get()) != null));
        return found[0];
    }

    /** Polls a condition that depends on the platform's asynchronous work, until true or the deadline. */
    private static boolean eventually(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    /** Runs a command; the result is "exit code: output". */
    static String exec(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "-1: timed out";
            }
            return process.exitValue() + ": " + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "-1: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "-1: interrupted";
        }
    }

    /**
     * The worker host's namespace, made by the JVM that configures the container (the tests run inside it) and
     * deleted when that JVM exits; namespaces of earlier runs whose JVM died are deleted first.
     */
    static final class HostNamespace {
        private static final String PREFIX = "gcpit";

        static String create() {
            long pid = ProcessHandle.current().pid();
            for (String line : exec("ip", "netns", "list").split("\n")) {
                String name = line.replaceFirst("^\\d+: ", "").split(" ")[0];
                if (name.startsWith(PREFIX) && name.endsWith("-host")) {
                    String owner = name.substring(PREFIX.length(), name.length() - "-host".length());
                    if (owner.chars().allMatch(Character::isDigit) && !owner.isEmpty()
                            && ProcessHandle.of(Long.parseLong(owner)).isEmpty()) {
                        exec("ip", "netns", "del", name);
                    }
                }
            }
            String name = PREFIX + pid + "-host";
            if (!exec("ip", "netns", "list").contains(name)) {
                exec("ip", "netns", "add", name);
                exec("ip", "-n", name, "link", "set", "lo", "up");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> exec("ip", "netns", "del", name)));
            }
            return name;
        }
    }
}
