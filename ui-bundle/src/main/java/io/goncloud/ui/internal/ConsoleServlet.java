package io.goncloud.ui.internal;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the single-page console under /console: its files as built by Vite, and index.html for
 * /console, /console/ and every other path that is not a file (the console's own routes, e.g.
 * /console/vpcs/123, which the browser's router shows). Files under assets/ have content hashes in
 * their names and are cached for a year; index.html is revalidated on every load (no-cache with an
 * ETag), so a new version of the console is picked up at once. Text files are gzipped when the
 * browser accepts it. Files never change while the bundle runs, so they are read once and kept.
 */
public final class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String INDEX = "index.html";
    static final String ASSETS = "assets/";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";
    static final String SHORT = "public, max-age=3600";

    /**
     * Scripts and styles only from the console itself. Ant Design writes its styles into style elements
     * at run time, hence 'unsafe-inline' for styles (never for scripts); the API is on the same origin.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private static final int GZIP_MIN_BYTES = 1024;

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html;charset=utf-8"),
            Map.entry("js", "text/javascript;charset=utf-8"),
            Map.entry("mjs", "text/javascript;charset=utf-8"),
            Map.entry("css", "text/css;charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("txt", "text/plain;charset=utf-8"),
            Map.entry("webmanifest", "application/manifest+json"));

    private final transient ConsoleFiles files;
    private final transient Map<String, Optional<Cached>> cache = new ConcurrentHashMap<>();

    public ConsoleServlet(ConsoleFiles files) {
        this.files = files;
    }

    /** A file as served: its bytes, their gzip form when worth it, and a strong ETag. */
    record Cached(String path, byte[] bytes, byte[] gzipped, String etag, String contentType) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = relativePath(request);
        if (path == null) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        Optional<Cached> file = path.isEmpty() ? Optional.empty() : load(path);
        if (file.isEmpty()) {
            if (path.startsWith(ASSETS) || looksLikeFile(path)) {
                // A missing script or image must not be answered with the page: the browser would choke on HTML.
                notFound(response);
                return;
            }
            file = load(INDEX); // a route of the console itself
            if (file.isEmpty()) {
                notFound(response);
                return;
            }
        }
        send(file.get(), request, response);
    }

    /**
     * The path below /console, without the leading slash ("" for /console and /console/); null when it
     * tries to leave the console's folder or is otherwise unusable.
     */
    static String relativePath(HttpServletRequest request) {
        String info = request.getPathInfo();
        if (info == null || info.equals("/")) {
            return "";
        }
        String path = info.startsWith("/") ? info.substring(1) : info;
        if (path.contains("\\") || path.contains("\0")) {
            return null;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return null;
            }
        }
        return path;
    }

    /** Whether the last segment has a file extension: such a path is a file, not a route of the console. */
    private static boolean looksLikeFile(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        int dot = last.lastIndexOf('.');
        return dot > 0 && TYPES.containsKey(last.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private Optional<Cached> load(String path) {
        try {
            return cache.computeIfAbsent(path, p -> files.find(p).map(url -> read(p, url)));
        } catch (UncheckedIOException e) {
            log("Cannot read console file " + path, e);
            return Optional.empty();
        }
    }

    private static Cached read(String path, URL url) {
        try {
            byte[] bytes = ConsoleFiles.read(url);
            String type = contentType(path);
            byte[] gzipped = compressible(type) && bytes.length >= GZIP_MIN_BYTES ? gzip(bytes) : null;
            return new Cached(path, bytes, gzipped, etag(bytes), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String contentType(String path) {
        int dot = path.lastIndexOf('.');
        String extension = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static boolean compressible(String type) {
        return type.startsWith("text/") || type.startsWith("application/json") || type.startsWith("image/svg")
                || type.startsWith("application/manifest");
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(Cached file, HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean index = file.path().equals(INDEX);
        response.setHeader("Cache-Control", index ? REVALIDATE : file.path().startsWith(ASSETS) ? IMMUTABLE : SHORT);
        response.setHeader("ETag", file.etag());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        if (index) {
            response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.setHeader("X-Frame-Options", "DENY");
        }
        if (file.gzipped() != null) {
            response.setHeader("Vary", "Accept-Encoding");
        }
        if (matches(request.getHeader("If-None-Match"), file.etag())) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(file.contentType());
        byte[] body = file.bytes();
        if (file.gzipped() != null && acceptsGzip(request.getHeader("Accept-Encoding"))) {
            response.setHeader("Content-Encoding", "gzip");
            body = file.gzipped();
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag) || c.equals("*")) {
                return true;
            }
        }
        return false;
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] pieces = part.trim().split(";");
            if (pieces[0].trim().equals("gzip")) {
                for (int i = 1; i < pieces.length; i++) {
                    String p = pieces[i].trim().replace(" ", "");
                    if (p.equals("q=0") || p.equals("q=0.0") || p.equals("q=0.00") || p.equals("q=0.000")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType("text/plain;charset=utf-8");
        response.getOutputStream().write("Not found\n".getBytes(StandardCharsets.UTF_8));
    }
}
