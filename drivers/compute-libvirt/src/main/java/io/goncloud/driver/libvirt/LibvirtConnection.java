package io.goncloud.driver.libvirt;

import io.goncloud.api.spi.DriverException;

import org.libvirt.Connect;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The driver's one connection to libvirtd, shared by all calls: opened on first use, re-opened when libvirtd
 * restarts, and failures put in words ("what: why").
 */
final class LibvirtConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);

    private final String uri;
    private final Object connectionLock = new Object();
    private Connect connection;
    private volatile boolean closed;

    LibvirtConnection(String uri) {
        this.uri = uri;
    }

    String uri() {
        return uri;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (connectionLock) {
            closeQuietly(connection);
            connection = null;
        }
    }

    @FunctionalInterface
    interface LibvirtCall<T> {
        T apply(Connect c) throws LibvirtException;
    }

    /** Runs {@code call} on the shared connection; re-opens it once if libvirtd went away meanwhile. */
    <T> T call(String what, LibvirtCall<T> call) {
        Connect c = connection(what);
        try {
            return call.apply(c);
        } catch (LibvirtException e) {
            if (!connectionBroken(c, e)) {
                throw failure(what, e);
            }
            LOG.info("The connection to libvirt at {} broke ({}); reconnecting", uri, message(e));
            drop(c);
            Connect again = connection(what);
            try {
                return call.apply(again);
            } catch (LibvirtException e2) {
                throw failure(what, e2);
            }
        }
    }

    private Connect connection(String what) {
        synchronized (connectionLock) {
            if (closed) {
                throw new DriverException(what + ": the libvirt compute driver is not active");
            }
            if (connection != null) {
                boolean alive;
                try {
                    alive = connection.isAlive();
                } catch (LibvirtException | RuntimeException e) {
                    alive = false;
                }
                if (alive) {
                    return connection;
                }
                closeQuietly(connection);
                connection = null;
            }
            try {
                connection = open(uri);
                return connection;
            } catch (LibvirtException e) {
                throw new Unreachable(what + ": libvirt at " + uri + " is not reachable (" + message(e)
                        + "); is libvirtd running?", e);
            } catch (LinkageError e) {
                // A worker without libvirt (containers only): as unreachable as a stopped daemon, and an Error
                // thrown from here would end the caller's scheduled work for good.
                throw new Unreachable(what + ": the libvirt client library (libvirt0) cannot be loaded ("
                        + e.getMessage() + ")", e);
            }
        }
    }

    static Connect open(String uri) throws LibvirtException {
        silenceLibvirtErrors();
        return new Connect(uri, false);
    }

    /**
     * libvirt prints every error to stderr unless an error callback is set ("libvirt: QEMU Driver error :
     * Domain not found" for each lookup of a missing domain); the driver reports errors itself.
     */
    private static void silenceLibvirtErrors() {
        if (errorCallback == null) {
            synchronized (LibvirtConnection.class) {
                if (errorCallback == null) {
                    org.libvirt.jna.Libvirt.VirErrorCallback quiet = (userData, error) -> { };
                    try {
                        Connect.setErrorCallback(quiet);
                        errorCallback = quiet; // JNA: the callback must stay reachable
                    } catch (LibvirtException | RuntimeException e) {
                        LOG.debug("Cannot set libvirt's error callback", e);
                    }
                }
            }
        }
    }

    private static volatile org.libvirt.jna.Libvirt.VirErrorCallback errorCallback;

    private void drop(Connect c) {
        synchronized (connectionLock) {
            if (connection == c) {
                closeQuietly(c);
                connection = null;
            }
        }
    }

    private static boolean connectionBroken(Connect c, LibvirtException e) {
        Error.ErrorNumber code = e.getError() == null ? null : e.getError().getCode();
        if (code == Error.ErrorNumber.VIR_ERR_SYSTEM_ERROR || code == Error.ErrorNumber.VIR_ERR_RPC
                || code == Error.ErrorNumber.VIR_ERR_NO_CONNECT || code == Error.ErrorNumber.VIR_ERR_INVALID_CONN) {
            return true;
        }
        String m = message(e).toLowerCase(Locale.ROOT);
        if (m.contains("socket is closed") || m.contains("end of file") || m.contains("connection reset")) {
            return true;
        }
        try {
            return !c.isAlive();
        } catch (LibvirtException | RuntimeException x) {
            return true;
        }
    }

    static void closeQuietly(Connect c) {
        if (c != null) {
            try {
                c.close();
            } catch (LibvirtException | RuntimeException e) {
                LOG.debug("Closing the libvirt connection failed", e);
            }
        }
    }

    /** libvirtd does not answer. */
    static final class Unreachable extends DriverException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Signals that the domain vanished between two calls. */
    static final class NoSuchInstance extends DriverException {
        private static final long serialVersionUID = 1L;

        NoSuchInstance(String message) {
            super(message);
        }
    }

    /** A DriverException whose message says what failed and why, in words; the cause is kept. */
    static DriverException failure(String what, Throwable e) {
        if (e instanceof NoSuchInstance n) {
            return n.getMessage().startsWith(what) ? n : new NoSuchInstance(what + ": " + n.getMessage());
        }
        if (e instanceof DriverException d) {
            return d.getMessage().startsWith(what) ? d
                    : new DriverException(what + ": " + d.getMessage(), d.getCause() == null ? d : d.getCause());
        }
        if (e instanceof LibvirtException l) {
            return new DriverException(what + ": " + message(l), l);
        }
        return new DriverException(what + ": " + e, e);
    }

    static String message(LibvirtException e) {
        String m = e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.strip();
    }
}
