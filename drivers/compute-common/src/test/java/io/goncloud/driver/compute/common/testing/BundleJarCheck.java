package io.goncloud.driver.compute.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Checks a built compute driver bundle (run by the driver's build in the verify phase, on the jar itself):
 * it must install on a Karaf that has only the gcp-api feature (plus scr), so every mandatory import is the
 * JRE, the OSGi framework, SLF4J or platform-api, everything else is embedded or optional; JNA, where a
 * driver uses it, is embedded as a jar with its Linux native library; and the entries named on the command
 * line (the driver's components, the libraries it embeds) are there.
 *
 * <p>Usage: {@code BundleJarCheck <bundle.jar> <entries>...}, the entries separated by spaces, commas or
 * new lines (a driver's pom sets them in the property {@code gcp.bundle.required-entries}).
 */
public final class BundleJarCheck {

    private BundleJarCheck() {
    }

    public static void main(String[] args) throws IOException {
        List<String> required = new ArrayList<>();
        for (String arg : List.of(args).subList(1, args.length)) {
            for (String entry : arg.split("[\\s,]+")) {
                if (!entry.isEmpty()) {
                    required.add(entry);
                }
            }
        }
        List<String> problems = check(Path.of(args[0]), required);
        if (!problems.isEmpty()) {
            System.err.println("Bundle check of " + args[0] + " failed:");
            problems.forEach(p -> System.err.println("  - " + p));
            System.exit(1);
        }
        System.out.println("Bundle check of " + args[0] + ": imports and embedded libraries OK");
    }

    /** What is wrong with the bundle at {@code jar}, which must contain {@code required}; empty if nothing. */
    public static List<String> check(Path jar, List<String> required) throws IOException {
        List<String> problems = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            Attributes main = manifest.getMainAttributes();
            for (String clause : clauses(main.getValue("Import-Package"))) {
                String pkg = clause.split(";", 2)[0].trim();
                boolean optional = clause.contains("resolution:=optional");
                boolean provided = pkg.startsWith("java.") || pkg.startsWith("javax.") || pkg.startsWith("org.osgi.")
                        || pkg.equals("org.slf4j") || pkg.startsWith("io.goncloud.api.");
                if (!optional && !provided) {
                    problems.add("mandatory import of " + pkg + ", which Karaf with gcp-api does not provide: embed "
                            + "it or import it with resolution:=optional");
                }
            }
            if (main.getValue("Export-Package") != null) {
                problems.add("a driver bundle exports nothing, but Export-Package is " + main.getValue("Export-Package"));
            }
            // Only JNA is embedded as a jar (it loads its native library from its own class path); a driver that
            // embeds no library, as the sample driver, has no Bundle-ClassPath at all.
            String classPath = main.getValue("Bundle-ClassPath");
            if (classPath != null && !classPath.matches("\\.,jna-[0-9.]+\\.jar")) {
                problems.add("Bundle-ClassPath is " + classPath + ", expected none or .,jna-<version>.jar");
            } else if (classPath != null) {
                ZipEntry jna = file.getEntry(classPath.substring(2));
                if (jna == null) {
                    problems.add("embedded " + classPath.substring(2) + " is missing");
                } else if (!contains(file.getInputStream(jna), "com/sun/jna/linux-x86-64/libjnidispatch.so")) {
                    problems.add("embedded JNA lacks its linux-x86-64 native library");
                }
            }
            for (String entry : required) {
                if (file.getEntry(entry) == null) {
                    problems.add("missing " + entry);
                }
            }
        }
        return problems;
    }

    private static boolean contains(InputStream jar, String name) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(jar)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.getName().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Splits a header at the commas outside quotes. */
    private static List<String> clauses(String header) {
        List<String> result = new ArrayList<>();
        if (header == null) {
            return result;
        }
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                result.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        result.add(current.toString());
        return result;
    }
}
