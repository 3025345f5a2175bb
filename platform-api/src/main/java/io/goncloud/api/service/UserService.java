package io.goncloud.api.service;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.User;

/** Account administration, for admins and operators. */
public interface UserService {

    /** All users; the caller must be an admin. */
    Page<User> list(Caller caller, PageRequest page);

    /** The user with this email, as seen by an admin. */
    User getByEmail(Caller caller, String email);

    /**
     * Deactivates or reactivates an account; the caller must be an admin. A deactivated user's access tokens stop
     * working at once, its sessions (refresh tokens) are revoked, and it cannot log in.
     */
    User setActive(Caller caller, String userId, boolean active);
}
