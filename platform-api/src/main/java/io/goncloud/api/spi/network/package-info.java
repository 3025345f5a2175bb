/** The network and firewall driver SPIs. */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.goncloud.api.spi.network;
