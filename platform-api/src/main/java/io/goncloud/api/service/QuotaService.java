package io.goncloud.api.service;

import io.goncloud.api.model.Quota;

import java.util.List;
import java.util.Map;

/**
 * Per-tenant limits, so that one tenant cannot take every address, vCPU or instance of the cloud. Every
 * creation that would pass a limit fails with its EC2 code ({@code InstanceLimitExceeded}, {@code VpcLimitExceeded},
 * ...) and creates nothing.
 */
public interface QuotaService {

    /** The caller's own limits and usage. */
    List<Quota> mine(Caller caller);

    /** A tenant's limits and usage; admins only. */
    List<Quota> forUser(Caller caller, String userId);

    /**
     * Sets limits for one tenant; admins only. A null value returns that resource to the cloud's default.
     *
     * @return the tenant's limits and usage afterwards
     */
    List<Quota> setForUser(Caller caller, String userId, Map<String, Long> limits);

    /** The cloud's defaults. */
    List<Quota> defaults(Caller caller);

    /** Changes the cloud's defaults; admins only. */
    List<Quota> setDefaults(Caller caller, Map<String, Long> limits);
}
