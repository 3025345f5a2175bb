/** The compute driver SPI. */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.goncloud.api.spi.compute;
