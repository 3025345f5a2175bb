package io.goncloud.core.auth;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.User;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.UserService;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.Paging;
import io.goncloud.core.persistence.UserEntity;
import io.goncloud.core.validation.Check;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.util.Map;

@Component(service = UserService.class)
public class UserServiceImpl implements UserService {

    private final Database db;

    @Activate
    public UserServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public Page<User> list(Caller caller, PageRequest page) {
        requireAdmin(caller);
        return db.read(em -> Paging.page(em, UserEntity.class, null, Map.of(), page,
                rows -> rows.stream().map(UserServiceImpl::toModel).toList()));
    }

    @Override
    public User getByEmail(Caller caller, String email) {
        requireAdmin(caller);
        String address = AuthServiceImpl.normalisedEmail(email);
        UserEntity user = db.read(em -> AuthServiceImpl.findByEmail(em, address));
        if (user == null) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "No user has the email '" + address + "'");
        }
        return toModel(user);
    }

    @Override
    public User setActive(Caller caller, String userId, boolean active) {
        if (!caller.isAdmin()) {
            throw new GcpException(ErrorCode.UNAUTHORIZED_OPERATION, "Only administrators may change accounts");
        }
        String id = Check.id(userId, ErrorCode.USER_MALFORMED, "user id");
        if (!active && id.equals(caller.userId())) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "You cannot deactivate your own account");
        }
        return db.inTransaction(em -> {
            UserEntity user = em.find(UserEntity.class, id);
            if (user == null) {
                throw new GcpException(ErrorCode.USER_NOT_FOUND, "The user '" + id + "' does not exist");
            }
            if (user.active != active) {
                user.active = active;
                user.updatedAt = Database.now();
            }
            if (!active) {
                // Its sessions end now; its access tokens stop at their next use (AuthService.authenticate).
                em.createQuery("UPDATE RefreshTokenEntity t SET t.revoked = true WHERE t.userId = :user")
                        .setParameter("user", id).executeUpdate();
            }
            return toModel(user);
        });
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw new GcpException(ErrorCode.UNAUTHORIZED_OPERATION, "Only administrators may list users");
        }
    }

    static User toModel(UserEntity u) {
        return new User(u.id, u.username, u.email, u.role, u.active, u.createdAt.toInstant(), u.updatedAt.toInstant());
    }
}
