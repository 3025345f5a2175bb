package io.goncloud.driver.ovs;

import io.goncloud.api.spi.DriverException;
import io.goncloud.driver.network.common.Exec;
import io.goncloud.driver.network.common.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Open vSwitch's database through {@code ovs-vsctl}: one read of the bridges, ports and interfaces, and
 * transactions of several commands. A transaction that changes something returns only once ovs-vswitchd
 * has reconfigured itself (ports opened or closed), or fails after {@link #TIMEOUT_SECONDS}.
 */
final class Ovsdb {

    /** Long enough for a reconfiguration with many ports on a busy host, short of the agent's patience. */
    static final int TIMEOUT_SECONDS = 30;

    /** ovs-vsctl's exit status when its own --timeout alarm (SIGALRM) ended it. */
    private static final int ALARM = 128 + 14;

    /** Where the driver records the kernel's index of a system port's device when it adds the port. */
    static final String IFINDEX_KEY = "gcp-ifindex";

    /**
     * @param ports the names of its ports, its own internal port included
     */
    record Bridge(String name, String datapathType, Set<String> ports) {
    }

    /**
     * @param type    {@code ""} (a system device the datapath opens), {@code internal}, {@code tap}...
     * @param ifindex the kernel index recorded in {@value #IFINDEX_KEY} when the driver added it, or null
     */
    record Interface(String name, String type, String ifindex) {
    }

    /** The bridges and interfaces, by name. */
    record State(Map<String, Bridge> bridges, Map<String, Interface> interfaces) {

        /** The bridge holding port {@code name}, or null. */
        String bridgeOf(String port) {
            return bridges.values().stream().filter(b -> b.ports().contains(port)).map(Bridge::name)
                    .findFirst().orElse(null);
        }
    }

    private final String remote;

    Ovsdb(String remote) {
        this.remote = remote;
    }

    String remote() {
        return remote;
    }

    State read() {
        String output = run(List.of("-f", "json", "-d", "json",
                "--columns=name,datapath_type,ports", "list", "Bridge",
                "--", "--columns=_uuid,name", "list", "Port",
                "--", "--columns=name,type,external_ids", "list", "Interface"));
        List<Object> tables = Json.parseAll(output);
        if (tables.size() != 3) {
            throw new DriverException("unexpected answer from ovs-vsctl: " + output);
        }
        Map<String, String> portNames = new LinkedHashMap<>();
        for (List<Object> row : rows(tables.get(1))) {
            portNames.put(uuid(row.get(0)), (String) row.get(1));
        }
        Map<String, Bridge> bridges = new LinkedHashMap<>();
        for (List<Object> row : rows(tables.get(0))) {
            Set<String> ports = new LinkedHashSet<>();
            for (Object port : set(row.get(2))) {
                String name = portNames.get(uuid(port));
                if (name != null) {
                    ports.add(name);
                }
            }
            String name = (String) row.get(0);
            bridges.put(name, new Bridge(name, (String) row.get(1), ports));
        }
        Map<String, Interface> interfaces = new LinkedHashMap<>();
        for (List<Object> row : rows(tables.get(2))) {
            String name = (String) row.get(0);
            interfaces.put(name, new Interface(name, (String) row.get(1), map(row.get(2)).get(IFINDEX_KEY)));
        }
        return new State(bridges, interfaces);
    }

    /**
     * Runs {@code commands} (each an ovs-vsctl command with its arguments) as one transaction and waits
     * for ovs-vswitchd to apply it. Nothing to do does nothing.
     */
    void transact(List<List<String>> commands) {
        if (commands.isEmpty()) {
            return;
        }
        List<String> arguments = new ArrayList<>();
        for (List<String> command : commands) {
            arguments.add("--");
            arguments.addAll(command);
        }
        run(arguments);
    }

    /** Runs ovs-vsctl against this database with the driver's timeout; returns its output. */
    String run(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=" + remote, "--timeout=" + TIMEOUT_SECONDS));
        command.addAll(arguments);
        Exec.Result result = Exec.run(command, null);
        if (result.exit() == ALARM) {
            throw new DriverException("ovs-vsctl " + String.join(" ", arguments) + ": no answer in "
                    + TIMEOUT_SECONDS + " s (the database at " + remote + " took the change, but ovs-vswitchd did "
                    + "not apply it: is ovs-vswitchd running?)");
        }
        return result.orThrow();
    }

    @SuppressWarnings("unchecked")
    static List<List<Object>> rows(Object table) {
        Object data = table instanceof Map<?, ?> map ? map.get("data") : null;
        return data instanceof List<?> list ? (List<List<Object>>) list : List.of();
    }

    /** An OVSDB set in JSON: a single value stands for itself, {@code ["set", [...]]} for the others. */
    static List<Object> set(Object value) {
        if (value instanceof List<?> list && list.size() == 2 && "set".equals(list.get(0))) {
            return new ArrayList<>((List<?>) list.get(1));
        }
        return List.of(value);
    }

    static Map<String, String> map(Object value) {
        Map<String, String> map = new LinkedHashMap<>();
        if (value instanceof List<?> list && list.size() == 2 && "map".equals(list.get(0))) {
            for (Object pair : (List<?>) list.get(1)) {
                List<?> entry = (List<?>) pair;
                map.put(String.valueOf(entry.get(0)), String.valueOf(entry.get(1)));
            }
        }
        return map;
    }

    private static String uuid(Object value) {
        if (value instanceof List<?> list && list.size() == 2 && "uuid".equals(list.get(0))) {
            return (String) list.get(1);
        }
        throw new DriverException("unexpected OVSDB value where a uuid belongs: " + value);
    }
}
