/**
 * The platform's services as the REST layer, the shell and other bundles call them. Implementations
 * validate their input and throw {@link io.goncloud.api.error.GcpException} for anything a client did
 * wrong; a call that fails writes nothing.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.goncloud.api.service;
