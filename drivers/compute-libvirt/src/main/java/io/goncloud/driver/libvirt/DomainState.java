package io.goncloud.driver.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import com.sun.jna.ptr.IntByReference;

import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;

import java.lang.reflect.Field;

/**
 * A domain's state with its reason (virDomainGetState), which libvirt-java 0.5.4 does not offer: called
 * through JNA on the domain pointer libvirt-java holds. Falls back to virDomainGetInfo (no reason).
 *
 * @param state  virDomainState: 0 nostate, 1 running, 2 blocked, 3 paused, 4 shutdown, 5 shutoff, 6 crashed,
 *               7 pmsuspended
 * @param reason the state's reason code (e.g. virDomainShutoffReason), or -1 if unknown
 */
record DomainState(int state, int reason) {

    static final int RUNNING = 1;
    static final int BLOCKED = 2;
    static final int PAUSED = 3;
    static final int SHUTDOWN = 4;
    static final int SHUTOFF = 5;
    static final int CRASHED = 6;
    static final int PMSUSPENDED = 7;

    interface Api extends Library {
        int virDomainGetState(Pointer domain, IntByReference state, IntByReference reason, int flags);
    }

    private static volatile Api api;
    private static volatile Field pointerField;
    private static volatile boolean unavailable;

    boolean active() {
        return state == RUNNING || state == BLOCKED || state == PAUSED || state == SHUTDOWN || state == PMSUSPENDED;
    }

    static DomainState of(Domain domain) throws LibvirtException {
        if (!unavailable) {
            try {
                Pointer p = pointer(domain);
                IntByReference state = new IntByReference();
                IntByReference reason = new IntByReference();
                if (api().virDomainGetState(p, state, reason, 0) == 0) {
                    return new DomainState(state.getValue(), reason.getValue());
                }
                // an error (e.g. the connection broke): let libvirt-java report it below
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                unavailable = true;
            }
        }
        DomainInfo info = domain.getInfo();
        return new DomainState(info.state.ordinal(), -1);
    }

    private static Api api() {
        Api a = api;
        if (a == null) {
            a = Native.load("virt", Api.class);
            api = a;
        }
        return a;
    }

    private static Pointer pointer(Domain domain) throws ReflectiveOperationException {
        Field f = pointerField;
        if (f == null) {
            f = Domain.class.getDeclaredField("vdp");
            f.setAccessible(true);
            pointerField = f;
        }
        return ((PointerType) f.get(domain)).getPointer();
    }
}
