package io.goncloud.ui.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import javax.servlet.Servlet;
import java.net.URL;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;

/**
 * Publishes the console through the OSGi HTTP Whiteboard (pax-web-http-whiteboard): the console's
 * servlet at /console/* in the default context (the API's, so the console and /api/v1 share an
 * origin) and a redirect from / to /console/.
 */
@Component(immediate = true)
public final class ConsoleComponents {

    static final String CONSOLE_PATH = "/console";
    static final String FILES_FOLDER = "dist";

    static final String PATTERN = "osgi.http.whiteboard.servlet.pattern";
    static final String NAME = "osgi.http.whiteboard.servlet.name";
    static final String CONTEXT_SELECT = "osgi.http.whiteboard.context.select";
    static final String DEFAULT_CONTEXT = "(osgi.http.whiteboard.context.name=default)";

    private ServiceRegistration<Servlet> console;
    private ServiceRegistration<Servlet> redirect;

    @Activate
    void activate(BundleContext context) {
        Bundle bundle = context.getBundle();
        ConsoleFiles files = path -> {
            URL url = bundle.getEntry(FILES_FOLDER + "/" + path);
            return url == null || path.endsWith("/") ? Optional.empty() : Optional.of(url);
        };
        console = context.registerService(Servlet.class, new ConsoleServlet(files),
                properties("gcp-console", CONSOLE_PATH + "/*"));
        // The exact root only (the Servlet specification's "" pattern), so no other path is taken from anyone.
        redirect = context.registerService(Servlet.class, new RootRedirectServlet(), properties("gcp-console-root", ""));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<Servlet> registration : new ServiceRegistration[] {console, redirect}) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle is stopping and the framework unregistered it
                }
            }
        }
        console = null;
        redirect = null;
    }

    private static Dictionary<String, Object> properties(String name, String pattern) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(NAME, name);
        properties.put(PATTERN, pattern);
        properties.put(CONTEXT_SELECT, DEFAULT_CONTEXT);
        return properties;
    }
}
