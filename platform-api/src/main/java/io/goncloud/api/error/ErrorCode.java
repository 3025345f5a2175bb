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
    public static final ErrorCode USER_NOT_FOUND = new ErrorCode("InvalidUserID.NotFound", 404);
    public static final ErrorCode USER_MALFORMED = new ErrorCode("InvalidUserID.Malformed", 400);
    /** Too many failed logins for an account or from an address; the answer says when to try again. */
    public static final ErrorCode LOGIN_THROTTLED = new ErrorCode("RequestLimitExceeded", 429);

    public static final ErrorCode VPC_NOT_FOUND = new ErrorCode("InvalidVpcID.NotFound", 404);
    public static final ErrorCode VPC_MALFORMED = new ErrorCode("InvalidVpcID.Malformed", 400);
    public static final ErrorCode VPC_RANGE = new ErrorCode("InvalidVpc.Range", 400);
    public static final ErrorCode SUBNET_NOT_FOUND = new ErrorCode("InvalidSubnetID.NotFound", 404);
    public static final ErrorCode SUBNET_MALFORMED = new ErrorCode("InvalidSubnetID.Malformed", 400);
    public static final ErrorCode SUBNET_RANGE = new ErrorCode("InvalidSubnet.Range", 400);
    public static final ErrorCode SUBNET_CONFLICT = new ErrorCode("InvalidSubnet.Conflict", 409);
    public static final ErrorCode IMAGE_NOT_FOUND = new ErrorCode("InvalidAMIID.NotFound", 404);
    public static final ErrorCode DEPENDENCY_VIOLATION = new ErrorCode("DependencyViolation", 409);

    /** A VPC's default security group, main route table or default network ACL: they go with the VPC. */
    public static final ErrorCode CANNOT_DELETE = new ErrorCode("CannotDelete", 400);
    public static final ErrorCode RESOURCE_ALREADY_ASSOCIATED = new ErrorCode("Resource.AlreadyAssociated", 409);
    public static final ErrorCode ASSOCIATION_NOT_FOUND = new ErrorCode("InvalidAssociationID.NotFound", 404);

    public static final ErrorCode ROUTE_TABLE_NOT_FOUND = new ErrorCode("InvalidRouteTableID.NotFound", 404);
    public static final ErrorCode ROUTE_TABLE_MALFORMED = new ErrorCode("InvalidRouteTableID.Malformed", 400);
    public static final ErrorCode ROUTE_ALREADY_EXISTS = new ErrorCode("RouteAlreadyExists", 409);
    public static final ErrorCode ROUTE_NOT_FOUND = new ErrorCode("InvalidRoute.NotFound", 404);
    /** A route's {@code igw} target that the caller has no internet gateway for. */
    public static final ErrorCode GATEWAY_NOT_FOUND = new ErrorCode("InvalidGatewayID.NotFound", 404);
    public static final ErrorCode GATEWAY_MALFORMED = new ErrorCode("InvalidGatewayID.Malformed", 400);
    public static final ErrorCode NAT_GATEWAY_NOT_FOUND = new ErrorCode("InvalidNatGatewayID.NotFound", 404);

    public static final ErrorCode INTERNET_GATEWAY_NOT_FOUND = new ErrorCode("InvalidInternetGatewayID.NotFound", 404);
    public static final ErrorCode INTERNET_GATEWAY_MALFORMED = new ErrorCode("InvalidInternetGatewayID.Malformed", 400);
    public static final ErrorCode GATEWAY_NOT_ATTACHED = new ErrorCode("Gateway.NotAttached", 409);

    public static final ErrorCode INSTANCE_NOT_FOUND = new ErrorCode("InvalidInstanceID.NotFound", 404);
    public static final ErrorCode INSTANCE_MALFORMED = new ErrorCode("InvalidInstanceID.Malformed", 400);
    public static final ErrorCode INCORRECT_INSTANCE_STATE = new ErrorCode("IncorrectInstanceState", 409);
    public static final ErrorCode INSTANCE_TYPE_INVALID = new ErrorCode("InvalidInstanceType", 400);
    public static final ErrorCode INSUFFICIENT_CAPACITY = new ErrorCode("InsufficientInstanceCapacity", 503);
    public static final ErrorCode INSUFFICIENT_ADDRESSES = new ErrorCode("InsufficientFreeAddressesInSubnet", 409);
    public static final ErrorCode IMAGE_MALFORMED = new ErrorCode("InvalidAMIID.Malformed", 400);
    public static final ErrorCode IMAGE_UNSUPPORTED = new ErrorCode("InvalidAMIID.Unsupported", 400);

    public static final ErrorCode KEY_PAIR_NOT_FOUND = new ErrorCode("InvalidKeyPair.NotFound", 404);
    public static final ErrorCode KEY_PAIR_DUPLICATE = new ErrorCode("InvalidKeyPair.Duplicate", 409);
    public static final ErrorCode KEY_PAIR_FORMAT = new ErrorCode("InvalidKeyPair.Format", 400);

    public static final ErrorCode WORKER_NODE_NOT_FOUND = new ErrorCode("InvalidWorkerNode.NotFound", 404);

    public static final ErrorCode SECURITY_GROUP_NOT_FOUND = new ErrorCode("InvalidGroup.NotFound", 404);
    public static final ErrorCode SECURITY_GROUP_MALFORMED = new ErrorCode("InvalidGroupId.Malformed", 400);
    public static final ErrorCode SECURITY_GROUP_DUPLICATE = new ErrorCode("InvalidGroup.Duplicate", 409);
    public static final ErrorCode PERMISSION_DUPLICATE = new ErrorCode("InvalidPermission.Duplicate", 409);
    public static final ErrorCode SECURITY_GROUP_RULE_NOT_FOUND = new ErrorCode("InvalidSecurityGroupRuleId.NotFound", 404);
    public static final ErrorCode SECURITY_GROUP_RULE_MALFORMED = new ErrorCode("InvalidSecurityGroupRuleId.Malformed", 400);

    public static final ErrorCode NETWORK_ACL_NOT_FOUND = new ErrorCode("InvalidNetworkAclID.NotFound", 404);
    public static final ErrorCode NETWORK_ACL_MALFORMED = new ErrorCode("InvalidNetworkAclID.Malformed", 400);
    public static final ErrorCode NETWORK_ACL_ENTRY_EXISTS = new ErrorCode("NetworkAclEntryAlreadyExists", 409);
    public static final ErrorCode NETWORK_ACL_ENTRY_NOT_FOUND = new ErrorCode("InvalidNetworkAclEntry.NotFound", 404);
    /** A rule number outside 1..32766. */
    public static final ErrorCode NETWORK_ACL_ENTRY_RANGE = new ErrorCode("InvalidNetworkAclEntry.Range", 400);

    public static final ErrorCode ELASTIC_IP_NOT_FOUND = new ErrorCode("InvalidAllocationID.NotFound", 404);
    public static final ErrorCode ELASTIC_IP_MALFORMED = new ErrorCode("InvalidAllocationID.Malformed", 400);
    /** Releasing an elastic IP that is still associated with an instance. */
    public static final ErrorCode ELASTIC_IP_IN_USE = new ErrorCode("InvalidIPAddress.InUse", 409);
    /** The operator's public address pool has no free address left. */
    public static final ErrorCode ADDRESS_LIMIT_EXCEEDED = new ErrorCode("AddressLimitExceeded", 409);
    // A tenant's quotas (EC2 answers these with 400).
    public static final ErrorCode INSTANCE_LIMIT_EXCEEDED = new ErrorCode("InstanceLimitExceeded", 400);
    public static final ErrorCode VCPU_LIMIT_EXCEEDED = new ErrorCode("VcpuLimitExceeded", 400);
    public static final ErrorCode MEMORY_LIMIT_EXCEEDED = new ErrorCode("MemoryLimitExceeded", 400);
    public static final ErrorCode VPC_LIMIT_EXCEEDED = new ErrorCode("VpcLimitExceeded", 400);
    public static final ErrorCode ELASTIC_IP_LIMIT_EXCEEDED = new ErrorCode("AddressLimitExceeded", 400);
    public static final ErrorCode SECURITY_GROUP_LIMIT_EXCEEDED = new ErrorCode("SecurityGroupLimitExceeded", 400);
    public static final ErrorCode RULES_LIMIT_EXCEEDED = new ErrorCode("RulesPerSecurityGroupLimitExceeded", 400);

    public static final ErrorCode VOLUME_NOT_FOUND = new ErrorCode("InvalidVolume.NotFound", 404);
    public static final ErrorCode VOLUME_MALFORMED = new ErrorCode("InvalidVolumeID.Malformed", 400);
    public static final ErrorCode SNAPSHOT_NOT_FOUND = new ErrorCode("InvalidSnapshot.NotFound", 404);
    public static final ErrorCode SNAPSHOT_MALFORMED = new ErrorCode("InvalidSnapshotID.Malformed", 400);
    /** Deleting or attaching a volume that is attached. */
    public static final ErrorCode VOLUME_IN_USE = new ErrorCode("VolumeInUse", 409);
    /** A volume or snapshot not in a state the operation needs (a snapshot of a volume still creating...). */
    public static final ErrorCode INCORRECT_STATE = new ErrorCode("IncorrectState", 409);
    /** No worker's storage pool has room for the volume. */
    public static final ErrorCode INSUFFICIENT_VOLUME_CAPACITY = new ErrorCode("InsufficientVolumeCapacity", 503);
    /** The tenant's quota of volumes or of GiB of volumes. */
    public static final ErrorCode VOLUME_LIMIT_EXCEEDED = new ErrorCode("VolumeLimitExceeded", 400);

    public static final ErrorCode INTERNAL_ERROR = new ErrorCode("InternalError", 500);
    public static final ErrorCode SERVICE_UNAVAILABLE = new ErrorCode("ServiceUnavailable", 503);
}
