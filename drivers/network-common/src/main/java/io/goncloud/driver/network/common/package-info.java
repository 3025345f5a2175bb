/**
 * What the network drivers share: running commands ({@link io.goncloud.driver.network.common.Exec},
 * {@link io.goncloud.driver.network.common.Netns}), reading iproute2's JSON, the desired layout of a
 * host ({@link io.goncloud.driver.network.common.Desired}) and the reconciliation of the VPC routers
 * ({@link io.goncloud.driver.network.common.Reconciler}). Embedded into each driver bundle (bnd
 * {@code -conditionalpackage}), never exported: each driver still depends on platform-api only.
 */
package io.goncloud.driver.network.common;
