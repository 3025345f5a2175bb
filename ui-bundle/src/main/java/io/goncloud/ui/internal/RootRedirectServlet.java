package io.goncloud.ui.internal;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Sends a browser that opens the platform's address (/) to the console. */
public final class RootRedirectServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        if (path != null && !path.equals(context + "/") && !path.equals(context)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setStatus(HttpServletResponse.SC_FOUND);
        response.setHeader("Location", context + ConsoleComponents.CONSOLE_PATH + "/");
        response.setHeader("Cache-Control", "no-cache");
    }
}
