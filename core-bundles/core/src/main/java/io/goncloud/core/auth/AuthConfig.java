package io.goncloud.core.auth;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.goncloud.auth} (etc/io.goncloud.auth.cfg). */
@ObjectClassDefinition(name = "GCP authentication")
public @interface AuthConfig {

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "HMAC secret for access tokens, at least "
            + "32 characters. Empty: a random secret is generated once and kept in ${karaf.data}/gcp/jwt-secret")
    String jwt_secret() default "";

    @AttributeDefinition(description = "Access token lifetime in seconds")
    long access_token_ttl_seconds() default 900;

    @AttributeDefinition(description = "Refresh token lifetime in seconds")
    long refresh_token_ttl_seconds() default 604800;

    @AttributeDefinition(description = "bcrypt cost factor (each step doubles the work)")
    int bcrypt_cost() default 11;

    @AttributeDefinition(description = "Email of the administrator created when no administrator exists")
    String admin_email() default "admin@gcp.local";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of that administrator. Empty: one "
            + "is generated and written once to ${karaf.data}/gcp/initial-admin-password (readable by the owner only)")
    String admin_password() default "";
}
