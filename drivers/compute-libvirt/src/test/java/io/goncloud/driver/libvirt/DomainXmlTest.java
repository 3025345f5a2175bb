package io.goncloud.driver.libvirt;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.ImageRef;
import io.goncloud.api.spi.compute.InstanceSpec.NicSpec;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The domain XML, names, NoCloud meta-data and state mapping, without libvirt. */
class DomainXmlTest {

    private static final String ID = "3f2a9c4e-1b7d-4e8a-9c0f-123456789abc";

    private static InstanceSpec spec(List<NicSpec> nics, List<String> keys, Map<String, String> labels) {
        return new InstanceSpec(ID, new ImageRef("img-1", "qcow2", "/var/lib/gcp/images/img-1.qcow2"), 2, 256, 4, nics,
                "#!/bin/sh\necho hi\n", keys, labels);
    }

    @Test
    void theVethOnANicBridgeNeverHasTheGuestsMac() {
        // The network driver gives the veth the guest's MAC; the bridge would drop the guest's frames as its own.
        assertEquals("0e:80:69:b0:86:3c", NicPlumber.bridgeSideMac("02:80:69:B0:86:3C"));
        assertEquals("0a:11:22:33:44:55", NicPlumber.bridgeSideMac("0e:11:22:33:44:55"));
    }

    @Test
    void domainXmlHasTheInstancesShape() {
        NicSpec nic = new NicSpec("02:00:0A:00:01:05", "10.0.1.5", 24, "10.0.1.1", "gcpi0123456789a");
        String dev = LibvirtComputeDriver.deviceId(ID);
        String xml = DomainXml.of(spec(List.of(nic), List.of(), Map.of("team", "a&b")), "gcp-" + ID, dev, false,
                Path.of("/s/gcp-" + ID + "/disk.qcow2"), "qcow2", Path.of("/s/gcp-" + ID + "/seed.img"),
                Path.of("/s/gcp-" + ID + "/console.log"));

        assertTrue(xml.startsWith("<domain type='qemu'>"), xml);
        assertTrue(xml.contains("<name>gcp-" + ID + "</name>"));
        assertTrue(xml.contains("<memory unit='MiB'>256</memory>") && xml.contains("<vcpu placement='static'>2</vcpu>"));
        assertTrue(xml.contains("<source file=\"/s/gcp-" + ID + "/disk.qcow2\"/>\n      <target dev='vda' bus='virtio'/>"));
        assertTrue(xml.contains("<source file=\"/s/gcp-" + ID + "/seed.img\"/>\n      <target dev='vdb' bus='virtio'/>\n"
                + "      <readonly/>"));
        assertTrue(xml.contains("<source bridge='gcpv3f2a9c4e1b0'/>\n      <target dev='gcpw3f2a9c4e1b0'/>\n"
                + "      <mac address='02:00:0a:00:01:05'/>\n      <model type='virtio'/>"), xml);
        assertTrue(xml.contains("<log file=\"/s/gcp-" + ID + "/console.log\" append='on'/>"));
        assertTrue(xml.contains("<gcp:label key=\"team\" value=\"a&amp;b\"/>"));
        assertTrue(xml.contains("<seclabel type='static' model='dac' relabel='no'>"));
        assertFalse(xml.contains("host-passthrough"));
        assertTrue(DomainXml.of(spec(List.of(), List.of(), Map.of()), "gcp-" + ID, dev, true, Path.of("/d"), "qcow2",
                Path.of("/s"), Path.of("/c")).startsWith("<domain type='kvm'>"));

        assertEquals(ID, DomainXml.instanceId("<instance xmlns=\"" + DomainXml.NAMESPACE + "\" id=\"" + ID
                + "\" image-id=\"img-1\"><label key=\"k\" value=\"v\"/></instance>"));
        assertEquals(null, DomainXml.instanceId(null));
    }

    @Test
    void deviceNamesFitLinuxLimits() {
        assertEquals("3f2a9c4e1b", LibvirtComputeDriver.deviceId(ID));
        String other = LibvirtComputeDriver.deviceId("gcptl-1795719074-1dd4ef-3");
        assertEquals(10, other.length());
        assertTrue(other.matches("[0-9a-f]{10}"));
        assertEquals(15, NicPlumber.bridge(other, 15).length());
        assertEquals("gcpw" + other + "f", NicPlumber.tap(other, 15));
        assertEquals("gcp-" + ID, LibvirtComputeDriver.domainName(ID));
    }

    @Test
    void noCloudMetaDataCarriesIdHostnameAndKeys() {
        String meta = NoCloudSeed.metaData(spec(List.of(), List.of("ssh-ed25519 AAAA one@x\n", "ssh-rsa BBBB two@y"),
                Map.of()), "web-1");
        assertEquals("instance-id: " + ID + "\nlocal-hostname: web-1\npublic-keys:\n  - ssh-ed25519 AAAA one@x\n"
                + "  - ssh-rsa BBBB two@y\n", meta);
        assertThrows(DriverException.class,
                () -> NoCloudSeed.metaData(spec(List.of(), List.of("ssh-rsa A\nB"), Map.of()), "h"));
        assertEquals("web-1", InstanceSpecs.hostname(spec(List.of(), List.of(), Map.of("hostname", "web-1"))));
        assertEquals(ID, InstanceSpecs.hostname(spec(List.of(), List.of(), Map.of())));
    }

    @Test
    void libvirtStatesMapOntoPowerStates() {
        LibvirtComputeDriver d = LibvirtComputeDriver.open("test:///default", "", Path.of("target/unused"), "tcg");
        assertEquals(PowerState.RUNNING, d.toStatus(ID, new DomainState(DomainState.RUNNING, 1)).power());
        assertEquals(new InstanceStatus(ID, PowerState.STOPPED, "shut down by the guest"),
                d.toStatus(ID, new DomainState(DomainState.SHUTOFF, 1)));
        assertEquals(new InstanceStatus(ID, PowerState.STOPPED, "forced off (destroyed)"),
                d.toStatus(ID, new DomainState(DomainState.SHUTOFF, 2)));
        assertEquals(PowerState.CRASHED, d.toStatus(ID, new DomainState(DomainState.SHUTOFF, 3)).power());
        assertEquals(PowerState.CRASHED, d.toStatus(ID, new DomainState(DomainState.CRASHED, 0)).power());
        assertEquals(PowerState.UNKNOWN, d.toStatus(ID, new DomainState(DomainState.PAUSED, 1)).power());
        assertEquals(new InstanceStatus(ID, PowerState.STOPPED, "shut off"), d.toStatus(ID, new DomainState(DomainState.SHUTOFF, 0)));
        d.close();
    }

    @Test
    void bootSectorIsOneSectorWithItsSignature() {
        byte[] s = AcceleratorProbe.bootSector();
        assertEquals(512, s.length);
        assertEquals(0x55, s[510] & 0xff);
        assertEquals(0xAA, s[511] & 0xff);
        assertTrue(new String(s, java.nio.charset.StandardCharsets.ISO_8859_1).contains(AcceleratorProbe.MARKER));
    }
}
