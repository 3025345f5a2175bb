package io.goncloud.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** JSON over HTTP against the running platform, as a client would use it. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Http(String base) {
        this.base = base;
    }

    static final class Reply {
        final int status;
        final JsonNode body;
        final HttpResponse<String> raw;

        Reply(int status, JsonNode body, HttpResponse<String> raw) {
            this.status = status;
            this.body = body;
            this.raw = raw;
        }

        String text(String field) {
            return body.path(field).asText();
        }

        String code() {
            return text("code");
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    Reply get(String path, String token) throws Exception {
        return send(request(path, token).GET());
    }

    Reply delete(String path, String token) throws Exception {
        return send(request(path, token).DELETE());
    }

    Reply post(String path, String token, String json) throws Exception {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply put(String path, String token, String json) throws Exception {
        return send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Reply send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        boolean json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        // Anything but JSON (e.g. the servlet container's page while the API is not yet published) is
        // kept as text, so that assertions show it.
        return new Reply(response.statusCode(), body == null || body.isEmpty() ? JSON.nullNode()
                : json ? JSON.readTree(body) : JSON.getNodeFactory().textNode(body), response);
    }

    /** Waits until the API answers its health route, or fails after {@code timeout}. */
    void awaitReady(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                Reply health = get("/health", null);
                if (health.status == 200) {
                    return;
                }
                last = health.toString();
            } catch (ConnectException e) {
                last = e.toString();
            }
            Thread.sleep(200); // polling an external condition: the HTTP server coming up
        }
        throw new AssertionError("the API did not become ready within " + timeout + ": " + last);
    }

    static String json(Object... keysAndValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return node.toString();
    }
}
