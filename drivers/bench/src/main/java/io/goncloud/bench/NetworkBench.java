package io.goncloud.bench;

import static io.goncloud.api.spi.network.FirewallPolicy.Direction.INBOUND;
import static io.goncloud.api.spi.network.FirewallPolicy.Direction.OUTBOUND;

import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.AclEntry;
import io.goncloud.api.spi.network.FirewallPolicy.PortPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.Rule;
import io.goncloud.api.spi.network.FirewallPolicy.SubnetAcl;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.Route;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import io.goncloud.api.spi.network.NetworkDriver;
import io.goncloud.driver.linuxbridge.LinuxBridgeNetworkDriver;
import io.goncloud.driver.nftables.NftablesFirewallDriver;
import io.goncloud.driver.ovs.OvsNetworkDriver;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The network data-plane benchmark: security-group enforcement time of the nftables firewall driver with
 * 10 to 5,000 rules installed, beside one hand-written {@code nft add rule}; and iperf3 throughput through
 * the Linux-bridge and Open vSwitch drivers (with and without the firewall), beside a raw veth pair. All
 * in network namespaces of its own; figures as Markdown on standard output, progress on standard error.
 * See docs/benchmarks.md, "Network data plane", and scripts/bench-network.sh.
 *
 * <pre>
 * NetworkBench [--sizes 10,1000,5000] [--sg-reps 10] [--tp-reps 5] [--seconds 5] [--only sg|tp] [--no-ovs]
 * </pre>
 */
public final class NetworkBench {

    private static final String ANYWHERE = "0.0.0.0/0";
    /** Timeout of one connect attempt while polling: the resolution of the enforcement times. */
    private static final int ATTEMPT_MS = 10;
    private static final int IPERF_PORT = 5201;

    private final Lab lab;
    private final Map<String, String> options;
    private int nextPort = 20000;

    private NetworkBench(Lab lab, Map<String, String> options) {
        this.lab = lab;
        this.options = options;
    }

    public static void main(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(Map.of("sizes", "10,1000,5000", "sg-reps", "10",
                "tp-reps", "5", "seconds", "5", "only", "", "no-ovs", "false"));
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            if (!options.containsKey(key)) {
                System.err.println("unknown option " + args[i] + "; options: " + options.keySet());
                System.exit(2);
            }
            options.put(key, key.equals("no-ovs") ? "true" : args[++i]);
        }
        if (!Sh.exec("id", "-u").out().strip().equals("0")) {
            System.err.println("needs root: it builds network namespaces, bridges and Open vSwitch daemons");
            System.exit(2);
        }
        int removed = Lab.removeLeftovers();
        if (removed > 0) {
            say("removed " + removed + " leftovers of earlier runs");
        }
        Lab lab = new Lab();
        Thread hook = new Thread(() -> {
            if (!lab.isClosed()) {
                say("interrupted: cleaning up");
                lab.close();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        int status = 0;
        try {
            new NetworkBench(lab, options).run();
        } catch (RuntimeException e) {
            e.printStackTrace();
            status = 1;
        } finally {
            say("cleaning up");
            lab.close();
        }
        System.exit(status);
    }

    private void run() {
        System.out.println("# Network data-plane benchmark\n");
        System.out.println("- " + Sh.exec("date", "-u").out().strip() + "; load average at start: " + loadavg());
        System.out.println("- " + Sh.exec("nproc").out().strip() + " CPUs, " + cpuModel() + "; kernel "
                + Sh.exec("uname", "-r").out().strip());
        System.out.println("- " + firstLine("nft", "-v") + "; " + firstLine("iperf3", "--version") + "; "
                + firstLine("ovs-vswitchd", "--version") + "; Java " + System.getProperty("java.version"));
        System.out.println("- options: " + options + "\n");
        if (!options.get("only").equals("tp")) {
            securityGroups();
        }
        if (!options.get("only").equals("sg")) {
            throughput();
        }
        System.out.println("- load average at the end: " + loadavg() + "; " + Sh.exec("date", "-u").out().strip());
    }

    // --- 1. security-group enforcement time

    private record Trial(double applyMs, double connectMs, int failedAttempts) {
    }

    private enum Layout {
        SPREAD("10 rules per port"), ONE_PORT("all rules on the target port");

        final String description;

        Layout(String description) {
            this.description = description;
        }
    }

    private void securityGroups() {
        say("security groups: building the host");
        String host = lab.namespace("sghost");
        String vpc = lab.vpcId();
        String subnet = Lab.id();
        String portA = Lab.id();
        String portB = Lab.id();
        linuxBridge(host).apply(new HostNetwork(null, List.of(new VpcNetwork(vpc, "10.20.0.0/16",
                List.of(new SubnetNetwork(subnet, "10.20.1.0/24", "10.20.1.1",
                        List.of(port(portA, "10.20.1.10"), port(portB, "10.20.1.11")))),
                List.of(new Route(subnet, "10.20.0.0/16", "local", "local", null)), null, List.of()))));
        String instanceA = lab.instance(host, HostNames.instanceSide(portA), "10.20.1.10/24", "10.20.1.1");
        String instanceB = lab.instance(host, HostNames.instanceSide(portB), "10.20.1.11/24", "10.20.1.1");
        NftablesFirewallDriver firewall = firewall(host);
        List<SubnetAcl> acls = List.of(allowAll(vpc, subnet, "10.20.1.0/24"));
        Lab.Agent a = lab.agent(instanceA);
        Lab.Agent b = lab.agent(instanceB);

        // The baseline: a plain bridge, two instances, one hand-written table.
        String base = lab.namespace("sgbase");
        Sh.sh("ip", "-n", base, "link", "add", "tbbr0", "type", "bridge");
        Sh.sh("ip", "-n", base, "link", "set", "tbbr0", "up");
        for (String leg : List.of("tba", "tbb")) {
            Sh.sh("ip", "-n", base, "link", "add", leg + "0", "type", "veth", "peer", "name", leg + "i");
            Sh.sh("ip", "-n", base, "link", "set", leg + "0", "master", "tbbr0", "up");
        }
        String baseA = lab.instance(base, "tbai", "10.21.1.10/24", null);
        String baseB = lab.instance(base, "tbbi", "10.21.1.11/24", null);
        Lab.Agent ba = lab.agent(baseA);
        Lab.Agent bb = lab.agent(baseB);

        // Sanity: both paths carry TCP without a firewall, and the driver's policy closes an unlisted port.
        requireConnect(a, b, "10.20.1.11", true, "driver host, no firewall yet");
        requireConnect(ba, bb, "10.21.1.11", true, "baseline, no table yet");
        firewall.apply(new FirewallPolicy(policy(Layout.SPREAD, 10, portA, portB, -1), acls));
        requireConnect(a, b, "10.20.1.11", false, "driver host, closed port");

        List<Integer> sizes = Arrays.stream(options.get("sizes").split(",")).map(String::strip)
                .map(Integer::parseInt).toList();
        int reps = Integer.parseInt(options.get("sg-reps"));
        Map<String, List<Trial>> results = new LinkedHashMap<>();
        for (int size : sizes) {
            say("security groups: " + size + " rules installed, " + reps + " repetitions (+1 warm-up), load "
                    + loadavg());
            plainTable(base, size);
            requireConnect(ba, bb, "10.21.1.11", false, "baseline, closed port");
            for (int rep = -1; rep < reps; rep++) {
                for (Layout layout : Layout.values()) {
                    Trial trial = driverTrial(firewall, acls, layout, size, portA, portB, a, b);
                    if (rep >= 0) {
                        results.computeIfAbsent(layout + " " + size, k -> new ArrayList<>()).add(trial);
                    }
                }
                Trial trial = baselineTrial(base, ba, bb);
                long spawn = System.nanoTime();
                Sh.in(host, "true");
                double spawnMs = (System.nanoTime() - spawn) / 1e6;
                if (rep >= 0) {
                    results.computeIfAbsent("BASELINE " + size, k -> new ArrayList<>()).add(trial);
                    results.computeIfAbsent("SPAWN " + size, k -> new ArrayList<>()).add(new Trial(spawnMs, -1, 0));
                }
            }
        }
        say("security groups: done, load " + loadavg());

        System.out.println("## Security-group enforcement time\n");
        System.out.println("Milliseconds from the start of the change until a TCP connection from another instance "
                + "succeeds (connect polled with " + ATTEMPT_MS + " ms attempts), and how long the change call itself "
                + "took; median / p95 (nearest rank) of " + reps + " repetitions, each after one discarded warm-up; "
                + "the runs in order in brackets.\n");
        System.out.println("| rules installed | change | call: median / p95 (ms) | to first connect: median / p95 (ms) "
                + "| failed attempts before (median) |");
        System.out.println("| ---: | --- | ---: | ---: | ---: |");
        for (int size : sizes) {
            for (Layout layout : Layout.values()) {
                row(size, "`FirewallDriver.apply()`, " + layout.description, results.get(layout + " " + size));
            }
            row(size, "baseline: one `nft add rule` into a plain table", results.get("BASELINE " + size));
            List<Double> spawns = results.get("SPAWN " + size).stream().map(Trial::applyMs).toList();
            System.out.printf(Locale.ROOT, "| %,d | reference: `ip netns exec <host> true` (starting one command) "
                    + "| %s / %s | | |%n", size, fmt(median(spawns)), fmt(p95(spawns)));
        }
        System.out.println();
        System.out.println("Runs (to first connect, ms):\n");
        results.entrySet().stream().filter(e -> !e.getKey().startsWith("SPAWN")).forEach(e -> System.out.println(
                "- " + e.getKey().toLowerCase(Locale.ROOT).replace('_', ' ') + " rules: " + e.getValue().stream()
                        .map(t -> fmt(t.connectMs())).collect(Collectors.joining(", ")) + " (calls: "
                        + e.getValue().stream().map(t -> fmt(t.applyMs())).collect(Collectors.joining(", ")) + ")"));
        System.out.println();
    }

    private void row(int size, String change, List<Trial> trials) {
        List<Double> calls = trials.stream().map(Trial::applyMs).toList();
        List<Double> connects = trials.stream().map(Trial::connectMs).toList();
        List<Double> failures = trials.stream().map(t -> (double) t.failedAttempts()).toList();
        System.out.printf(Locale.ROOT, "| %,d | %s | %s / %s | **%s** / %s | %s |%n", size, change,
                fmt(median(calls)), fmt(p95(calls)), fmt(median(connects)), fmt(p95(connects)),
                fmt(median(failures)));
    }

    /** One timed change: the policy with {@code size} rules is in place, one more opens a fresh port. */
    private Trial driverTrial(NftablesFirewallDriver firewall, List<SubnetAcl> acls, Layout layout, int size,
                              String portA, String portB, Lab.Agent a, Lab.Agent b) {
        int port = nextPort++;
        firewall.apply(new FirewallPolicy(policy(layout, size, portA, portB, -1), acls)); // not timed
        FirewallPolicy opened = new FirewallPolicy(policy(layout, size, portA, portB, port), acls);
        return timed(a, b, "10.20.1.11", port, () -> {
            firewall.apply(opened);
            return null;
        });
    }

    private Trial baselineTrial(String base, Lab.Agent a, Lab.Agent b) {
        int port = nextPort++;
        Trial trial = timed(a, b, "10.21.1.11", port, () -> Sh.exec(List.of("ip", "netns", "exec", base, "nft",
                "add", "rule", "bridge", "gcptb_plain", "forward", "ip", "saddr", "10.21.1.10", "tcp", "dport",
                String.valueOf(port), "accept"), null).orThrow());
        // Back to the same number of rules (not timed).
        Matcher handle = Pattern.compile("dport " + port + " accept # handle (\\d+)")
                .matcher(Sh.in(base, "nft", "-a", "list", "chain", "bridge", "gcptb_plain", "forward"));
        if (!handle.find()) {
            throw new IllegalStateException("the baseline rule for port " + port + " is not in the table");
        }
        Sh.in(base, "nft", "delete", "rule", "bridge", "gcptb_plain", "forward", "handle", handle.group(1));
        return trial;
    }

    private Trial timed(Lab.Agent client, Lab.Agent server, String address, int port, Supplier<?> change) {
        server.listen(port);
        client.send("poll " + address + " " + port + " " + ATTEMPT_MS + " 20000");
        client.expect("started");
        long start = System.nanoTime();
        change.get();
        long called = System.nanoTime();
        String[] answer = client.receive().split(" ");
        server.close(port);
        if (!answer[0].equals("connected")) {
            throw new IllegalStateException("no connection to port " + port + " within 20 s: " + String.join(" ", answer));
        }
        long connected = Long.parseLong(answer[1]);
        int failures = Integer.parseInt(answer[2]);
        if (failures == 0) {
            say("warning: port " + port + " answered at the first attempt (open before the change?)");
        }
        return new Trial((called - start) / 1e6, (connected - start) / 1e6, failures);
    }

    private void requireConnect(Lab.Agent client, Lab.Agent server, String address, boolean expected, String what) {
        int port = nextPort++;
        server.listen(port);
        client.send("poll " + address + " " + port + " 200 " + (expected ? 5000 : 600));
        client.expect("started");
        String answer = client.receive();
        server.close(port);
        if (answer.startsWith("connected") != expected) {
            throw new IllegalStateException(what + ": expected " + (expected ? "a connection" : "none") + ", got "
                    + answer);
        }
    }

    /**
     * The whole policy: instance a may send anywhere; b, the target, accepts tcp/22 from the VPC (spread) or
     * {@code size - 2} rules (one port); filler ports with 10 rules each carry the rest of the {@code size}
     * rules (spread). {@code openPort} >= 0 adds to b the rule under test: tcp/openPort from a.
     */
    private static List<PortPolicy> policy(Layout layout, int size, String portA, String portB, int openPort) {
        List<PortPolicy> ports = new ArrayList<>();
        ports.add(new PortPolicy(portA, "10.20.1.10", List.of(new Rule(OUTBOUND, "all", 0, 65535, List.of(ANYWHERE)))));
        List<Rule> target = new ArrayList<>();
        if (layout == Layout.SPREAD) {
            target.add(new Rule(INBOUND, "tcp", 22, 22, List.of("10.20.0.0/16")));
            List<Rule> fillers = fillers(size - 3);
            for (int start = 0, k = 0; start < fillers.size(); start += 10, k++) {
                // Ports whose devices are not plugged: nft matches interface names as strings, so the
                // tables and the transactions are the same as with the devices present.
                ports.add(new PortPolicy(benchPortId(k), "10.20." + (3 + k / 250) + "." + (k % 250 + 1),
                        fillers.subList(start, Math.min(start + 10, fillers.size()))));
            }
        } else {
            target.addAll(fillers(size - 2));
        }
        target.add(new Rule(OUTBOUND, "all", 0, 65535, List.of(ANYWHERE)));
        if (openPort >= 0) {
            target.add(new Rule(INBOUND, "tcp", openPort, openPort, List.of("10.20.1.10/32")));
        }
        ports.add(new PortPolicy(portB, "10.20.1.11", target));
        return ports;
    }

    private static final List<String> FILLER_PORT_IDS = new ArrayList<>();

    /** Stable ids for filler port k (the same port keeps its chain across applies). */
    private static synchronized String benchPortId(int k) {
        while (FILLER_PORT_IDS.size() <= k) {
            FILLER_PORT_IDS.add(Lab.id());
        }
        return FILLER_PORT_IDS.get(k);
    }

    /** {@code count} distinct inbound TCP rules from 10.99.0.0/16 addresses (never instance a). */
    private static List<Rule> fillers(int count) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int port = 1024 + i % 18000;
            rules.add(new Rule(INBOUND, "tcp", port, port, List.of(fillerSource(i) + "/32")));
        }
        return rules;
    }

    private static String fillerSource(int i) {
        return "10.99." + (i / 250) % 250 + "." + (i % 250 + 1);
    }

    /** The baseline's table: everything not towards b passes; towards b, {@code size} rules, else drop. */
    private static void plainTable(String base, int size) {
        StringBuilder script = new StringBuilder("add table bridge gcptb_plain\ndelete table bridge gcptb_plain\n"
                + "table bridge gcptb_plain {\n  chain forward {\n"
                + "    type filter hook forward priority filter; policy drop;\n"
                + "    oifname != \"tbb0\" accept\n    ether type arp accept\n");
        for (int i = 0; i < size; i++) {
            script.append("    ip saddr ").append(fillerSource(i)).append(" tcp dport ").append(1024 + i % 18000)
                    .append(" accept\n");
        }
        script.append("  }\n}\n");
        Sh.exec(List.of("ip", "netns", "exec", base, "nft", "-f", "-"), script.toString()).orThrow();
    }

    // --- 2. throughput

    private record Path(String name, String client, String address) {
    }

    private void throughput() {
        int reps = Integer.parseInt(options.get("tp-reps"));
        String seconds = options.get("seconds");
        boolean ovs = !Boolean.parseBoolean(options.get("no-ovs"));
        say("throughput: building raw veth, Linux-bridge" + (ovs ? " and OVS" : "") + " hosts");
        String x = lab.namespace("rawx");
        String y = lab.namespace("rawy");
        Sh.sh("ip", "-n", x, "link", "add", "tbx0", "type", "veth", "peer", "name", "tby0", "netns", y);
        Sh.sh("ip", "-n", x, "addr", "add", "10.30.0.1/24", "dev", "tbx0");
        Sh.sh("ip", "-n", y, "addr", "add", "10.30.0.2/24", "dev", "tby0");
        Sh.sh("ip", "-n", x, "link", "set", "tbx0", "up");
        Sh.sh("ip", "-n", y, "link", "set", "tby0", "up");
        iperfServer(y);
        Path raw = new Path("raw veth pair", x, "10.30.0.2");

        Fabric lb = fabric("lbhost", 40, false);
        Fabric ov = ovs ? fabric("ovshost", 41, true) : null;
        String phase1 = "no firewall";
        String phase2 = "nftables security groups + allow-all ACLs";
        Map<String, Map<String, List<Double>>> gbits = new LinkedHashMap<>(); // row -> phase -> runs
        Map<String, Map<String, List<Integer>>> retransmits = new LinkedHashMap<>();
        for (boolean withFirewall : List.of(false, true)) {
            String phase = withFirewall ? phase2 : phase1;
            if (withFirewall) {
                lb.secure();
                if (ov != null) {
                    ov.secure();
                }
            }
            List<String[]> runs = new ArrayList<>(); // {row, client, address}
            runs.add(new String[] {"raw veth pair (baseline)", raw.client(), raw.address()});
            for (Fabric fabric : ov == null ? List.of(lb) : List.of(lb, ov)) {
                runs.add(new String[] {fabric.label + ", same subnet", fabric.a, fabric.bAddress});
                runs.add(new String[] {fabric.label + ", across subnets (VPC router)", fabric.a, fabric.cAddress});
            }
            say("throughput, " + phase + ": " + reps + " rounds of " + runs.size() + " iperf3 runs of " + seconds
                    + " s, load " + loadavg());
            for (int rep = 0; rep < reps; rep++) {
                for (String[] run : runs) {
                    double[] result = iperf(run[1], run[2], seconds);
                    gbits.computeIfAbsent(run[0], k -> new LinkedHashMap<>())
                            .computeIfAbsent(phase, k -> new ArrayList<>()).add(result[0]);
                    retransmits.computeIfAbsent(run[0], k -> new LinkedHashMap<>())
                            .computeIfAbsent(phase, k -> new ArrayList<>()).add((int) result[1]);
                    say("  " + run[0] + ", " + phase + ": " + fmt(result[0]) + " Gbit/s, " + (int) result[1]
                            + " retransmits");
                }
            }
        }
        say("throughput: done, load " + loadavg());

        System.out.println("## Throughput (iperf3, TCP, 1 stream, " + seconds + " s per run)\n");
        System.out.println("Gbit/s received, median of " + reps + " runs, the runs in brackets; each round runs every "
                + "path once, so load changes hit all paths alike. The raw veth pair is measured in both phases.\n");
        System.out.println("| path | " + phase1 + " | " + phase2 + " | retransmits per run (phase 1; phase 2) |");
        System.out.println("| --- | ---: | ---: | --- |");
        gbits.forEach((row, byPhase) -> System.out.println("| " + row + " | " + cell(byPhase.get(phase1)) + " | "
                + cell(byPhase.get(phase2)) + " | " + retransmits.get(row).get(phase1) + "; "
                + retransmits.get(row).get(phase2) + " |"));
        System.out.println();
    }

    private static String cell(List<Double> values) {
        return values == null ? "" : "**" + fmt(median(values)) + "** (" + values.stream().map(NetworkBench::fmt)
                .collect(Collectors.joining(", ")) + ")";
    }

    /** One VPC with subnet 1 (instances a, b) and subnet 2 (instance c) on a host built by a driver. */
    private final class Fabric {
        final String label;
        final String host;
        final String a;
        final String bAddress;
        final String cAddress;
        private final String vpc;
        private final String subnet1 = Lab.id();
        private final String subnet2 = Lab.id();
        private final String portA = Lab.id();
        private final String portB = Lab.id();
        private final String portC = Lab.id();
        private final String net;

        Fabric(String label, String host, String vpc, int octet, NetworkDriver driver) {
            this.label = label;
            this.host = host;
            this.vpc = vpc;
            this.net = "10." + octet;
            bAddress = net + ".1.11";
            cAddress = net + ".2.10";
            driver.apply(new HostNetwork(null, List.of(new VpcNetwork(vpc, net + ".0.0/16", List.of(
                    new SubnetNetwork(subnet1, net + ".1.0/24", net + ".1.1",
                            List.of(port(portA, net + ".1.10"), port(portB, bAddress))),
                    new SubnetNetwork(subnet2, net + ".2.0/24", net + ".2.1", List.of(port(portC, cAddress)))),
                    List.of(new Route(subnet1, net + ".0.0/16", "local", "local", null),
                            new Route(subnet2, net + ".0.0/16", "local", "local", null)), null, List.of()))));
            a = lab.instance(host, HostNames.instanceSide(portA), net + ".1.10/24", net + ".1.1");
            String b = lab.instance(host, HostNames.instanceSide(portB), bAddress + "/24", net + ".1.1");
            String c = lab.instance(host, HostNames.instanceSide(portC), cAddress + "/24", net + ".2.1");
            iperfServer(b);
            iperfServer(c);
            requirePing(a, bAddress);
            requirePing(a, cAddress);
        }

        /** Security groups as a tenant would set them for this, and allow-all network ACLs. */
        void secure() {
            List<Rule> server = List.of(new Rule(INBOUND, "tcp", IPERF_PORT, IPERF_PORT, List.of(net + ".0.0/16")),
                    new Rule(OUTBOUND, "all", 0, 65535, List.of(ANYWHERE)));
            firewall(host).apply(new FirewallPolicy(List.of(
                    new PortPolicy(portA, net + ".1.10", List.of(new Rule(OUTBOUND, "all", 0, 65535, List.of(ANYWHERE)))),
                    new PortPolicy(portB, bAddress, server), new PortPolicy(portC, cAddress, server)),
                    List.of(allowAll(vpc, subnet1, net + ".1.0/24"), allowAll(vpc, subnet2, net + ".2.0/24"))));
        }
    }

    private Fabric fabric(String role, int octet, boolean ovs) {
        String host = lab.namespace(role);
        String vpc = lab.vpcId();
        if (!ovs) {
            return new Fabric("Linux bridge", host, vpc, octet, linuxBridge(host));
        }
        String remote = lab.startOvs(host);
        return new Fabric("OVS netdev", host, vpc, octet, openVswitch(host, remote));
    }

    private void iperfServer(String namespace) {
        lab.start(namespace, "iperf3", "-s", "-p", String.valueOf(IPERF_PORT));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Sh.in(namespace, "ss", "-Hltn", "sport = :" + IPERF_PORT).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("iperf3 server in " + namespace + " does not listen");
            }
            sleep(20);
        }
    }

    private static void requirePing(String from, String address) {
        for (int attempt = 0; attempt < 5; attempt++) {
            if (Sh.exec("ip", "netns", "exec", from, "ping", "-n", "-q", "-c1", "-W1", address).ok()) {
                return;
            }
        }
        throw new IllegalStateException("no ping from " + from + " to " + address);
    }

    private static final Pattern BITS = Pattern.compile("\"bits_per_second\":\\s*([0-9.eE+-]+)");
    private static final Pattern RETRANSMITS = Pattern.compile("\"retransmits\":\\s*(\\d+)");

    /** {Gbit/s received, retransmits} of one iperf3 run from {@code client} to {@code address}. */
    private static double[] iperf(String client, String address, String seconds) {
        Sh.Result result = Sh.exec("ip", "netns", "exec", client, "iperf3", "-c", address, "-p",
                String.valueOf(IPERF_PORT), "-t", seconds, "-P", "1", "-J", "--connect-timeout", "3000");
        String json = result.out();
        int sent = json.indexOf("\"sum_sent\"");
        int received = json.indexOf("\"sum_received\"");
        if (!result.ok() || sent < 0 || received < 0) {
            throw new IllegalStateException("iperf3 from " + client + " to " + address + " failed: "
                    + (json.contains("\"error\"") ? json.substring(json.indexOf("\"error\"")) : result.err()).strip());
        }
        Matcher bits = BITS.matcher(json);
        Matcher retransmits = RETRANSMITS.matcher(json);
        if (!bits.find(received) || !retransmits.find(sent)) {
            throw new IllegalStateException("unexpected iperf3 output: " + json);
        }
        return new double[] {Double.parseDouble(bits.group(1)) / 1e9, Integer.parseInt(retransmits.group(1))};
    }

    // --- drivers, configured as Declarative Services would (annotation interfaces implemented here)

    private static final String BENCH_DHCP_STATE_DIR = System.getProperty("java.io.tmpdir") + "/gcptb-dhcp";

    private static LinuxBridgeNetworkDriver linuxBridge(String host) {
        return new LinuxBridgeNetworkDriver(new LinuxBridgeNetworkDriver.Config() {
            @Override
            public String host_netns() {
                return host;
            }

            @Override
            public String dhcp_state_dir() {
                return BENCH_DHCP_STATE_DIR; // the bench's ports have no MAC: no server starts
            }

            @Override
            public String owner() {
                return "";
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return LinuxBridgeNetworkDriver.Config.class;
            }
        });
    }

    private static OvsNetworkDriver openVswitch(String host, String remote) {
        return new OvsNetworkDriver(new OvsNetworkDriver.Config() {
            @Override
            public String host_netns() {
                return host;
            }

            @Override
            public String datapath_type() {
                return "netdev";
            }

            @Override
            public String ovsdb_remote() {
                return remote;
            }

            @Override
            public String dhcp_state_dir() {
                return BENCH_DHCP_STATE_DIR;
            }

            @Override
            public String owner() {
                return "";
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return OvsNetworkDriver.Config.class;
            }
        });
    }

    private static NftablesFirewallDriver firewall(String host) {
        return new NftablesFirewallDriver(new NftablesFirewallDriver.Config() {
            @Override
            public String host_netns() {
                return host;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return NftablesFirewallDriver.Config.class;
            }
        });
    }

    private static Port port(String id, String address) {
        return new Port(id, Lab.id(), null, address);
    }

    private static SubnetAcl allowAll(String vpc, String subnet, String cidr) {
        return new SubnetAcl(vpc, subnet, cidr, List.of(
                new AclEntry(100, INBOUND, "all", 0, 65535, ANYWHERE, true),
                new AclEntry(100, OUTBOUND, "all", 0, 65535, ANYWHERE, true)));
    }

    // --- small things

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nearest-rank 95th percentile (with 10 values: the largest). */
    static double p95(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
    }

    static String fmt(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : value >= 10 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String loadavg() {
        try {
            String[] fields = Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        return Sh.exec("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").out().strip();
    }

    private static String firstLine(String... command) {
        return Sh.exec(command).out().lines().findFirst().orElse("?").strip();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void say(String message) {
        System.err.println("[bench " + Instant.now().toString().substring(11, 19) + "] " + message);
    }
}
