/** Messaging services of the platform: the broker connection and, later, the durable per-worker task queues. */
@Version("0.1.0")
package io.goncloud.messaging;

import org.osgi.annotation.versioning.Version;
