package io.goncloud.driver.libvirt;

import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.NicSpec;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The libvirt domain of an instance: {@code gcp-<instanceId>}, type {@code kvm} or {@code qemu} (TCG), BIOS
 * boot from the copy-on-write overlay (virtio, vda), the NoCloud seed read-only (virtio, vdb), one virtio
 * NIC per NicSpec on its {@code gcpv} bridge with its tap {@code gcpw}, the serial console on a pty logged
 * to {@code console.log} (by virtlogd), no graphics, no balloon. QEMU runs as root without relabelling
 * (a static DAC label): images stay untouched and shared by many overlays, wherever the image store is.
 * The platform's identity of the domain is in its metadata, under {@value #NAMESPACE}.
 */
final class DomainXml {

    static final String NAMESPACE = "https://goncloud.io/xmlns/libvirt-instance/1";
    /** virDomainMetadataType VIR_DOMAIN_METADATA_ELEMENT */
    static final int METADATA_ELEMENT = 2;

    private static final Pattern ID_ATTRIBUTE = Pattern.compile("\\bid=\"([^\"]*)\"");

    private DomainXml() {
    }

    static String of(InstanceSpec spec, String domainName, String deviceId, boolean kvm, Path disk, String diskFormat,
                     Path seed, Path console) {
        StringBuilder x = new StringBuilder();
        x.append("<domain type='").append(kvm ? "kvm" : "qemu").append("'>\n");
        x.append("  <name>").append(esc(domainName)).append("</name>\n");
        x.append("  <title>GCP instance ").append(esc(spec.instanceId())).append("</title>\n");
        x.append("  <metadata>\n");
        x.append("    <gcp:instance xmlns:gcp='").append(NAMESPACE).append("' id=\"").append(esc(spec.instanceId()))
                .append("\" image-id=\"").append(esc(String.valueOf(spec.image().imageId()))).append("\">\n");
        for (Map.Entry<String, String> label : new TreeMap<>(spec.labels()).entrySet()) {
            x.append("      <gcp:label key=\"").append(esc(label.getKey())).append("\" value=\"")
                    .append(esc(label.getValue())).append("\"/>\n");
        }
        x.append("    </gcp:instance>\n");
        x.append("  </metadata>\n");
        x.append("  <memory unit='MiB'>").append(spec.memoryMiB()).append("</memory>\n");
        x.append("  <vcpu placement='static'>").append(spec.vcpus()).append("</vcpu>\n");
        x.append("  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <boot dev='hd'/>\n  </os>\n");
        x.append("  <features>\n    <acpi/>\n    <apic/>\n  </features>\n");
        if (kvm) {
            x.append("  <cpu mode='host-passthrough'/>\n");
        }
        x.append("  <clock offset='utc'/>\n");
        x.append("  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>\n");
        x.append("  <devices>\n");
        x.append("    <disk type='file' device='disk'>\n");
        x.append("      <driver name='qemu' type='").append(diskFormat).append("' discard='unmap'/>\n");
        x.append("      <source file=\"").append(esc(disk.toString())).append("\"/>\n");
        x.append("      <target dev='vda' bus='virtio'/>\n");
        x.append("    </disk>\n");
        x.append("    <disk type='file' device='disk'>\n");
        x.append("      <driver name='qemu' type='raw'/>\n");
        x.append("      <source file=\"").append(esc(seed.toString())).append("\"/>\n");
        x.append("      <target dev='vdb' bus='virtio'/>\n");
        x.append("      <readonly/>\n");
        x.append("    </disk>\n");
        for (int i = 0; i < spec.nics().size(); i++) {
            NicSpec nic = spec.nics().get(i);
            x.append("    <interface type='bridge'>\n");
            x.append("      <source bridge='").append(NicPlumber.bridge(deviceId, i)).append("'/>\n");
            x.append("      <target dev='").append(NicPlumber.tap(deviceId, i)).append("'/>\n");
            x.append("      <mac address='").append(nic.macAddress().toLowerCase(java.util.Locale.ROOT)).append("'/>\n");
            x.append("      <model type='virtio'/>\n");
            x.append("      <rom enabled='no'/>\n");
            x.append("    </interface>\n");
        }
        x.append("    <serial type='pty'>\n");
        x.append("      <log file=\"").append(esc(console.toString())).append("\" append='on'/>\n");
        x.append("      <target port='0'/>\n");
        x.append("    </serial>\n");
        x.append("    <console type='pty'>\n      <target type='serial' port='0'/>\n    </console>\n");
        x.append("    <memballoon model='none'/>\n");
        x.append("  </devices>\n");
        x.append("  <seclabel type='static' model='dac' relabel='no'>\n    <label>+0:+0</label>\n  </seclabel>\n");
        x.append("</domain>\n");
        return x.toString();
    }

    /** The instance id in the metadata element libvirt returns, or null. */
    static String instanceId(String metadata) {
        if (metadata == null) {
            return null;
        }
        Matcher m = ID_ATTRIBUTE.matcher(metadata);
        return m.find() ? unesc(m.group(1)) : null;
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        b.append(' ');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String unesc(String s) {
        return s.replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
