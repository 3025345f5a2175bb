package io.goncloud.ui.internal;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's servlet and the root redirect in Jetty, as pax-web runs them, over real HTTP. */
class ConsoleServletTest {

    @TempDir
    static Path dist;

    private static Server server;
    private static String base;
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String INDEX = "<!doctype html><title>console</title><script src=\"/console/assets/index-abc123.js\"></script>";
    private static final String SCRIPT = "console.log('hello');\n".repeat(200);

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dist.resolve("index.html"), INDEX);
        Files.createDirectories(dist.resolve("assets"));
        Files.writeString(dist.resolve("assets/index-abc123.js"), SCRIPT);
        Files.writeString(dist.resolve("favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        ConsoleFiles files = path -> {
            Path file = dist.resolve(path).normalize();
            if (!file.startsWith(dist) || !Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try {
                return Optional.of(file.toUri().toURL());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new ConsoleServlet(files)), "/console/*");
        context.addServlet(new ServletHolder(new RootRedirectServlet()), "");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theRootRedirectsToTheConsole() throws Exception {
        HttpResponse<byte[]> response = get("/");
        assertEquals(302, response.statusCode());
        assertEquals("/console/", response.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void theConsoleDirectoryAndItsRoutesServeTheIndexUncached() throws Exception {
        for (String path : new String[] {"/console", "/console/", "/console/vpcs", "/console/vpcs/3f1c6a2e-1111-2222-3333-444455556666",
                "/console/admin/users?x=1"}) {
            HttpResponse<byte[]> response = get(path);
            assertEquals(200, response.statusCode(), path);
            assertEquals(INDEX, text(response), path);
            assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElseThrow(), path);
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"), path);
            assertTrue(response.headers().firstValue("Content-Security-Policy").orElseThrow().contains("script-src 'self'"), path);
        }
    }

    @Test
    void hashedAssetsAreCachedForAYearAndGzipped() throws Exception {
        HttpResponse<byte[]> plain = get("/console/assets/index-abc123.js");
        assertEquals(200, plain.statusCode());
        assertEquals(SCRIPT, text(plain));
        assertEquals(ConsoleServlet.IMMUTABLE, plain.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(plain.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
        assertFalse(plain.headers().firstValue("Content-Encoding").isPresent());

        HttpResponse<byte[]> zipped = get("/console/assets/index-abc123.js", "Accept-Encoding", "gzip, deflate, br");
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElseThrow());
        assertTrue(zipped.body().length < plain.body().length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertEquals(SCRIPT, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anUnchangedFileIsAnswered304() throws Exception {
        String etag = get("/console/").headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = get("/console/", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
    }

    @Test
    void missingFilesAreNotAnsweredWithThePage() throws Exception {
        assertEquals(404, get("/console/assets/index-gone.js").statusCode());
        assertEquals(404, get("/console/missing.png").statusCode());
        assertEquals(404, get("/nothing-here").statusCode());
    }

    @Test
    void otherFilesAreServedWithTheirType() throws Exception {
        HttpResponse<byte[]> icon = get("/console/favicon.svg");
        assertEquals(200, icon.statusCode());
        assertEquals("image/svg+xml", icon.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(ConsoleServlet.SHORT, icon.headers().firstValue("Cache-Control").orElseThrow());
    }

    @Test
    void pathsLeavingTheFolderAreRefused() throws Exception {
        HttpResponse<byte[]> response = get("/console/%2e%2e/%2e%2e/etc/passwd");
        assertTrue(response.statusCode() == 400 || response.statusCode() == 404, "status " + response.statusCode());
        assertFalse(text(response).contains("root:"));
    }

    @Test
    void gzipAcceptanceHonoursQZero() {
        assertTrue(ConsoleServlet.acceptsGzip("gzip"));
        assertTrue(ConsoleServlet.acceptsGzip("deflate, gzip;q=0.5"));
        assertFalse(ConsoleServlet.acceptsGzip("gzip;q=0"));
        assertFalse(ConsoleServlet.acceptsGzip("identity"));
        assertFalse(ConsoleServlet.acceptsGzip(null));
    }

    @Test
    void etagsMatchStrongWeakAndAny() {
        assertTrue(ConsoleServlet.matches("\"a\"", "\"a\""));
        assertTrue(ConsoleServlet.matches("W/\"a\", \"b\"", "\"a\""));
        assertTrue(ConsoleServlet.matches("*", "\"a\""));
        assertFalse(ConsoleServlet.matches("\"b\"", "\"a\""));
    }
}
