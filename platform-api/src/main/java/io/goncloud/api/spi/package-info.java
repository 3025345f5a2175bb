/**
 * The driver SPIs: what a compute, network, firewall or storage driver bundle implements. A third-party
 * driver compiles against this package and its sub-packages only.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.goncloud.api.spi;
