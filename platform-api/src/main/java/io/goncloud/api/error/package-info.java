/** The platform's error codes and the exception that carries them. */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.goncloud.api.error;
