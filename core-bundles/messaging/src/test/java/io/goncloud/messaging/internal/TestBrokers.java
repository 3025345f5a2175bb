package io.goncloud.messaging.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

/** Helpers for tests against real brokers on the loopback interface. */
final class TestBrokers {

    static final String HOST = "127.0.0.1";

    private TestBrokers() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String url(int port) {
        return "tcp://" + HOST + ":" + port;
    }

    static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A component property type as SCR would build it: the given values, annotation defaults otherwise. */
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class || method.getDeclaringClass() == Annotation.class) {
                return switch (method.getName()) {
                    case "annotationType" -> type;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> type.getSimpleName() + values;
                };
            }
            return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
        }));
    }
}
