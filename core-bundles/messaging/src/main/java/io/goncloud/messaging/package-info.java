/**
 * Messaging services of the platform: whether the broker answers. The controller/worker transport itself is
 * published under the interfaces of {@code io.goncloud.api.cluster} (TaskSender, ReportSender) and consumes for
 * that package's handler services.
 */
@Version("0.1.0")
package io.goncloud.messaging;

import org.osgi.annotation.versioning.Version;
