package io.goncloud.driver.network.common;

import io.goncloud.api.spi.DriverException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Commands run in one network namespace: a named one ({@code ip netns}), or the driver's own when the
 * name is null. Changes go through {@code ip -batch} so that one process applies many of them.
 */
public final class Netns {

    private static final Pattern FAILED_LINE = Pattern.compile("Command failed -:(\\d+)");

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    public static Netns own() {
        return new Netns(null);
    }

    public static Netns named(String name) {
        return new Netns(name);
    }

    public String name() {
        return name;
    }

    public String describe() {
        return name == null ? "the host namespace" : "namespace " + name;
    }

    /** Runs read-only {@code ip} commands and returns each one's JSON answer. */
    public List<Object> show(List<String> commands) {
        String output = Exec.run(ip("-j", "-d", "-batch", "-"), String.join("\n", commands) + "\n").orThrow();
        List<Object> answers = Json.parseAll(output);
        if (answers.size() != commands.size()) {
            throw new DriverException("unexpected answer from ip in " + describe() + ": " + output);
        }
        return answers;
    }

    /** Applies {@code commands} in order, stopping at the first failure, which it reports with its line. */
    public void batch(List<String> commands) {
        if (commands.isEmpty()) {
            return;
        }
        Exec.Result result = Exec.run(ip("-batch", "-"), String.join("\n", commands) + "\n");
        if (!result.ok()) {
            Matcher failed = FAILED_LINE.matcher(result.stderr());
            String line = failed.find() ? commands.get(Integer.parseInt(failed.group(1)) - 1) : "?";
            throw new DriverException("ip in " + describe() + " failed at '" + line + "': "
                    + result.stderr().replaceAll("Command failed -:\\d+", "").strip());
        }
    }

    /** Runs another program in this namespace. */
    public Exec.Result exec(List<String> command, String stdin) {
        List<String> full = new ArrayList<>();
        if (name != null) {
            full.addAll(List.of("ip", "netns", "exec", name));
        }
        full.addAll(command);
        return Exec.run(full, stdin);
    }

    /** Names of every named network namespace ({@code ip netns list}). */
    public static Set<String> list() {
        Set<String> names = new TreeSet<>();
        String output = Exec.run(List.of("ip", "-j", "netns", "list"), null).orThrow();
        for (Object answer : Json.parseAll(output)) {
            for (Map<String, Object> entry : Json.objects(answer)) {
                names.add((String) entry.get("name"));
            }
        }
        return names;
    }

    public static void add(String name) {
        Exec.run(List.of("ip", "netns", "add", name), null).orThrow();
    }

    public static void delete(String name) {
        Exec.run(List.of("ip", "netns", "delete", name), null).orThrow();
    }

    private List<String> ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        if (name != null) {
            command.addAll(List.of("-n", name));
        }
        command.addAll(List.of(args));
        return command;
    }
}
