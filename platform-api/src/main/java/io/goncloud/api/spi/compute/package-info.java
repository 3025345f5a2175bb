/** The compute driver SPI. */
@org.osgi.annotation.versioning.Version("0.2.0")
package io.goncloud.api.spi.compute;
