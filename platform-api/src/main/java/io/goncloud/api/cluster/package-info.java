/**
 * How the controller and the workers' agents talk: tasks go to a worker, reports come back. The messages
 * are plain records; a transport bundle (ActiveMQ Artemis in the platform) carries them with at-least-once
 * delivery, so every handler must be idempotent. Tasks carry the whole desired state of one instance, and
 * reports the actual state, so a repeated or late message converges instead of doing something twice.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package io.goncloud.api.cluster;
