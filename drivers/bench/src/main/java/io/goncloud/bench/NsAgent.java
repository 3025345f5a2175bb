package io.goncloud.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A helper JVM started inside an instance namespace ({@code ip netns exec <ns> java ... NsAgent}): its
 * sockets live in that namespace. Commands, one per line on standard input, answers on standard output:
 * <pre>
 * listen PORT                      -> ok             (a TCP listener that accepts and closes)
 * close PORT                       -> ok
 * poll ADDRESS PORT ATTEMPT_MS MAX_MS -> started, then: connected NANOTIME FAILURES | gave-up FAILURES
 * </pre>
 * {@code poll} tries to connect again and again, each attempt with a timeout of ATTEMPT_MS (a dropped SYN
 * is retransmitted by the kernel only after a second), and reports {@link System#nanoTime()} right after
 * the first connection succeeded: CLOCK_MONOTONIC, the same clock as the benchmark's JVM.
 */
public final class NsAgent {

    private NsAgent() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Map<Integer, ServerSocket> listeners = new HashMap<>();
        out.println("ready");
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.strip().split("\\s+");
            try {
                switch (words[0]) {
                    case "listen" -> {
                        int port = Integer.parseInt(words[1]);
                        ServerSocket server = new ServerSocket();
                        server.setReuseAddress(true);
                        server.bind(new InetSocketAddress(port), 128);
                        listeners.put(port, server);
                        Thread accept = new Thread(() -> {
                            while (!server.isClosed()) {
                                try (Socket socket = server.accept()) {
                                    socket.setSoLinger(true, 0);
                                } catch (IOException e) {
                                    // closed
                                }
                            }
                        });
                        accept.setDaemon(true);
                        accept.start();
                        out.println("ok");
                    }
                    case "close" -> {
                        ServerSocket server = listeners.remove(Integer.parseInt(words[1]));
                        if (server != null) {
                            server.close();
                        }
                        out.println("ok");
                    }
                    case "poll" -> poll(out, new InetSocketAddress(words[1], Integer.parseInt(words[2])),
                            Integer.parseInt(words[3]), Long.parseLong(words[4]));
                    default -> out.println("error unknown command " + words[0]);
                }
            } catch (RuntimeException | IOException e) {
                out.println("error " + e);
            }
        }
    }

    private static void poll(PrintStream out, InetSocketAddress target, int attemptMillis, long maxMillis) {
        out.println("started");
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        int failures = 0;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.setSoLinger(true, 0);
                socket.connect(target, attemptMillis);
                long connected = System.nanoTime();
                out.println("connected " + connected + " " + failures);
                return;
            } catch (IOException e) {
                failures++;
                if (!(e instanceof java.net.SocketTimeoutException)) {
                    // refused or unreachable: answered at once, so pause as long as a timed-out attempt
                    try {
                        Thread.sleep(attemptMillis);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
        out.println("gave-up " + failures);
    }
}
