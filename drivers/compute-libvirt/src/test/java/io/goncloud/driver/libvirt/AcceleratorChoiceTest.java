package io.goncloud.driver.libvirt;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcceleratorChoiceTest {

    private static final AcceleratorProbe KVM = new AcceleratorProbe(AcceleratorProbe.KVM, "a test guest ran under KVM");

    @Test
    void onlyAProbedKvmAnswerFallsBack() {
        AcceleratorChoice configured = AcceleratorChoice.of("KVM", () -> KVM, Duration.ofSeconds(1));
        assertEquals("configured (accelerator=kvm)", configured.known().orElseThrow().detail());
        // The operator asked for KVM: a failing domain says so instead of quietly running slower.
        assertFalse(configured.mayFallBack(configured.await()));

        AcceleratorChoice probed = AcceleratorChoice.of("auto", () -> KVM, Duration.ofSeconds(5));
        assertTrue(probed.mayFallBack(probed.await()));
        assertFalse(probed.mayFallBack(new AcceleratorProbe(AcceleratorProbe.TCG, "x")));
    }

    @Test
    void demotionHappensOnceAndOnlyFromTheAnswerThatFailed() {
        AcceleratorChoice probed = AcceleratorChoice.of("", () -> KVM, Duration.ofSeconds(5));
        AcceleratorProbe kvm = probed.await();
        AcceleratorProbe tcg = probed.demote(kvm, "instance a: QEMU died");
        assertEquals("tcg", tcg.accelerator());
        assertEquals("KVM passed the probe but could not run a guest that TCG ran (instance a: QEMU died)", tcg.detail());
        // A second launch that failed under the old answer meanwhile does not rewrite the reason.
        assertEquals(tcg, probed.demote(kvm, "instance b: QEMU died"));
        assertEquals(tcg, probed.await());
        assertEquals(tcg, probed.known().orElseThrow());
    }

    @Test
    void aBrokenProbeMeansTcgAndABadModeIsRefused() {
        AcceleratorChoice broken = AcceleratorChoice.of("auto", () -> {
            throw new IllegalStateException("no qemu");
        }, Duration.ofSeconds(5));
        AcceleratorProbe answer = broken.await();
        assertEquals("tcg", answer.accelerator());
        assertTrue(answer.detail().contains("no qemu"), answer.detail());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AcceleratorChoice.of("xen", () -> KVM, Duration.ZERO));
        assertEquals("accelerator must be auto, kvm or tcg, not 'xen'", e.getMessage());
    }
}
