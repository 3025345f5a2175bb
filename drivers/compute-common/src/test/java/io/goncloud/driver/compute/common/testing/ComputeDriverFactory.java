package io.goncloud.driver.compute.common.testing;

import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.ImageRef;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a compute driver's suite tells the conformance kit ({@link ComputeDriverConformance}): how to open the
 * driver, what it boots, and how to look at and disturb the host behind its back.
 */
public interface ComputeDriverFactory {

    /** Skips the kit unless the driver can work here (its daemon answers, its test image is built). */
    default void assumeUsable() {
    }

    /** The driver under test, taking its instances' NICs from the network namespace {@code networkNamespace}. */
    ComputeDriver open(String networkNamespace);

    /**
     * An image the driver boots, whose instance prints {@link #bootMarker} on its console and answers ICMP on
     * each NIC once configured from its {@link InstanceSpec.NicSpec}.
     */
    ImageRef bootableImage();

    /** An image of the driver's format that is not on this host. */
    ImageRef missingImage();

    /**
     * What an instance of {@link #bootableImage} prints on its console once it runs: by default
     * {@code gcp-boot <its host name>}, as the platform's test images do.
     */
    default String bootMarker(InstanceSpec spec) {
        return "gcp-boot " + spec.labels().get("hostname");
    }

    /**
     * What the driver made on the host for the instance and is still there (containers, domains, processes,
     * directories), in words for a failure message; empty once the instance is destroyed.
     */
    List<String> traces(String instanceId);

    /** Ends the instance behind the driver's back, as a crash or an operator would. */
    void killOutsideThePlatform(String instanceId);

    /** Memory the kit's instances get. */
    default int memoryMiB() {
        return 64;
    }

    /** Labels every spec of the kit carries (to find an interrupted run's leftovers, say). */
    default Map<String, String> labels() {
        return Map.of();
    }

    /** How long a launched or started instance may take to answer on its NICs. */
    default Duration bootTime() {
        return Duration.ofSeconds(10);
    }

    /** Removes what the suite made besides instances (images, directories), after the driver is closed. */
    default void cleanUp() {
    }
}
