import { describe, expect, it } from 'vitest';
import { fieldOfError, isMissingRoute, toConsoleError } from './errors';

const apiError = (status: number, code: string, message: string) => ({ status, data: { code, message, request_id: 'r1' } });

describe('toConsoleError', () => {
  it("keeps the API's code and message", () => {
    expect(toConsoleError(apiError(409, 'DependencyViolation', "The vpc 'x' has dependencies"))).toEqual({
      status: 409,
      code: 'DependencyViolation',
      message: "The vpc 'x' has dependencies",
      requestId: 'r1',
    });
  });

  it('puts failures without an API body into words', () => {
    expect(toConsoleError({ status: 'FETCH_ERROR', error: 'TypeError: Failed to fetch' })?.message).toMatch(/cannot be reached/);
    expect(toConsoleError({ status: 'PARSING_ERROR', originalStatus: 502, data: '<html>', error: 'x' })?.message).toMatch(
      /not answering right now \(HTTP 502\)/,
    );
    expect(toConsoleError({ status: 500, data: null })?.message).toMatch(/failed to handle the request/);
    expect(toConsoleError(undefined)).toBeUndefined();
  });

  it('recognises a route the platform does not serve', () => {
    expect(isMissingRoute(apiError(404, 'InvalidAction', 'No such route: GET /api/v1/instances'))).toBe(true);
    expect(isMissingRoute(apiError(404, 'InvalidVpcID.NotFound', 'no'))).toBe(false);
  });
});

describe('fieldOfError', () => {
  const fields = ['name', 'cidr_block', 'description', 'email', 'password', 'username'];
  const e = (code: string, message: string) => toConsoleError(apiError(400, code, message));

  it('places range and conflict errors under the CIDR field', () => {
    expect(fieldOfError(e('InvalidVpc.Range', "The CIDR '10.0.0.0/8' is invalid"), fields)).toBe('cidr_block');
    expect(fieldOfError(e('InvalidSubnet.Conflict', 'conflicts with another subnet'), fields)).toBe('cidr_block');
  });

  it('finds the parameter a message names', () => {
    expect(fieldOfError(e('InvalidParameterValue', 'Value (x) for parameter cidr_block is invalid: ...'), fields)).toBe('cidr_block');
    expect(fieldOfError(e('MissingParameter', 'The request must contain the parameter name'), fields)).toBe('name');
    expect(fieldOfError(e('InvalidParameterValue', 'description must be at most 255 characters long'), fields)).toBe('description');
    expect(fieldOfError(e('InvalidParameterValue', "'bob@' is not a valid email address"), fields)).toBe('email');
    expect(fieldOfError(e('InvalidUser.Duplicate', "A user with the email 'a@b' already exists"), fields)).toBe('email');
  });

  it('leaves errors about the whole request to the form', () => {
    expect(fieldOfError(e('InvalidCredentials', 'The email or password is incorrect'), fields)).toBeUndefined();
    expect(fieldOfError(e('DependencyViolation', 'name is in use'), fields)).toBeUndefined();
    expect(fieldOfError(e('InvalidParameterValue', 'Value (x) for parameter availability_zone is invalid'), fields)).toBeUndefined();
  });
});
