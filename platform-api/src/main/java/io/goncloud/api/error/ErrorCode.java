package io.goncloud.api.error;

/**
 * An EC2-style error code and the HTTP status it answers with. Every error the platform reports to a
 * client carries one of these; the REST layer turns it into {@code {"code", "message", "request_id"}}.
 *
 * @param code       the EC2-style code, e.g. {@code InvalidVpc.Range}
 * @param httpStatus the HTTP status of the response
 */
public record ErrorCode(String code, int httpStatus) {

    public static final ErrorCode INVALID_PARAMETER_VALUE = new ErrorCode("InvalidParameterValue", 400);
    public static final ErrorCode MISSING_PARAMETER = new ErrorCode("MissingParameter", 400);
    public static final ErrorCode UNKNOWN_PARAMETER = new ErrorCode("UnknownParameter", 400);
    public static final ErrorCode MALFORMED_REQUEST = new ErrorCode("MalformedRequest", 400);
    public static final ErrorCode INVALID_PAGE_TOKEN = new ErrorCode("InvalidPaginationToken", 400);
    public static final ErrorCode REQUEST_TOO_LARGE = new ErrorCode("RequestEntityTooLarge", 413);
    public static final ErrorCode UNSUPPORTED_MEDIA_TYPE = new ErrorCode("UnsupportedMediaType", 415);
    public static final ErrorCode NOT_ACCEPTABLE = new ErrorCode("NotAcceptable", 406);
    public static final ErrorCode UNKNOWN_ROUTE = new ErrorCode("InvalidAction", 404);
    public static final ErrorCode METHOD_NOT_ALLOWED = new ErrorCode("MethodNotAllowed", 405);

    public static final ErrorCode AUTH_FAILURE = new ErrorCode("AuthFailure", 401);
    public static final ErrorCode INVALID_CREDENTIALS = new ErrorCode("InvalidCredentials", 401);
    public static final ErrorCode INVALID_REFRESH_TOKEN = new ErrorCode("InvalidRefreshToken", 401);
    public static final ErrorCode UNAUTHORIZED_OPERATION = new ErrorCode("UnauthorizedOperation", 403);
    public static final ErrorCode USER_DUPLICATE = new ErrorCode("InvalidUser.Duplicate", 409);

    public static final ErrorCode VPC_NOT_FOUND = new ErrorCode("InvalidVpcID.NotFound", 404);
    public static final ErrorCode VPC_MALFORMED = new ErrorCode("InvalidVpcID.Malformed", 400);
    public static final ErrorCode VPC_RANGE = new ErrorCode("InvalidVpc.Range", 400);
    public static final ErrorCode SUBNET_NOT_FOUND = new ErrorCode("InvalidSubnetID.NotFound", 404);
    public static final ErrorCode SUBNET_MALFORMED = new ErrorCode("InvalidSubnetID.Malformed", 400);
    public static final ErrorCode SUBNET_RANGE = new ErrorCode("InvalidSubnet.Range", 400);
    public static final ErrorCode SUBNET_CONFLICT = new ErrorCode("InvalidSubnet.Conflict", 409);
    public static final ErrorCode IMAGE_NOT_FOUND = new ErrorCode("InvalidAMIID.NotFound", 404);
    public static final ErrorCode DEPENDENCY_VIOLATION = new ErrorCode("DependencyViolation", 409);

    public static final ErrorCode INTERNAL_ERROR = new ErrorCode("InternalError", 500);
    public static final ErrorCode SERVICE_UNAVAILABLE = new ErrorCode("ServiceUnavailable", 503);
}
