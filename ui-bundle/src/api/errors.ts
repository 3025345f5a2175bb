import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { SerializedError } from '@reduxjs/toolkit';
import type { ApiErrorBody } from './types';

/** An error as the console shows it: the API's own code and message, or one written for the failure. */
export interface ConsoleError {
  /** HTTP status, or 0 when no answer came. */
  status: number;
  /** The API's EC2-style code (e.g. InvalidVpc.Range), or one of the console's: NetworkError, Timeout, ... */
  code: string;
  /** Words for the user. */
  message: string;
  requestId?: string;
}

export type AnyError = FetchBaseQueryError | SerializedError | undefined | null;

function isApiErrorBody(data: unknown): data is ApiErrorBody {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as ApiErrorBody).code === 'string' &&
    typeof (data as ApiErrorBody).message === 'string'
  );
}

function statusMessage(status: number): string {
  if (status === 502 || status === 503 || status === 504) {
    return `The platform is not answering right now (HTTP ${status}). Try again in a moment.`;
  }
  if (status >= 500) {
    return `The platform failed to handle the request (HTTP ${status}). Try again; if it keeps failing, tell your operator.`;
  }
  if (status === 404) {
    return 'The platform does not know this resource or route (HTTP 404).';
  }
  if (status === 403) {
    return 'You are not allowed to do this.';
  }
  return `The platform refused the request (HTTP ${status}).`;
}

/** Turns whatever RTK Query reports into a ConsoleError; undefined when there is no error. */
export function toConsoleError(error: AnyError): ConsoleError | undefined {
  if (!error) {
    return undefined;
  }
  if ('status' in error) {
    const { status } = error;
    if (typeof status === 'number') {
      if (isApiErrorBody(error.data)) {
        return { status, code: error.data.code, message: error.data.message, requestId: error.data.request_id };
      }
      return { status, code: `Http${status}`, message: statusMessage(status) };
    }
    switch (status) {
      case 'FETCH_ERROR':
        return {
          status: 0,
          code: 'NetworkError',
          message: 'The platform cannot be reached. Check your network connection and that the platform is running, then try again.',
        };
      case 'TIMEOUT_ERROR':
        return { status: 0, code: 'Timeout', message: 'The platform took too long to answer. Try again in a moment.' };
      case 'PARSING_ERROR':
        return {
          status: error.originalStatus,
          code: `Http${error.originalStatus}`,
          message:
            error.originalStatus >= 400
              ? statusMessage(error.originalStatus)
              : 'The platform answered with something the console does not understand. Reload the page and try again.',
        };
      case 'CUSTOM_ERROR':
        if (isApiErrorBody(error.data)) {
          return { status: 0, code: error.data.code, message: error.data.message, requestId: error.data.request_id };
        }
        return { status: 0, code: 'ConsoleError', message: error.error };
    }
  }
  const serialized = error as SerializedError;
  return { status: 0, code: serialized.name ?? 'ConsoleError', message: serialized.message ?? 'Something went wrong in the console.' };
}

export function errorMessage(error: AnyError): string {
  return toConsoleError(error)?.message ?? '';
}

/** Whether the API does not have the route at all (404 InvalidAction): a feature this platform lacks yet. */
export function isMissingRoute(error: AnyError): boolean {
  const e = toConsoleError(error);
  return e?.status === 404 && e.code === 'InvalidAction';
}

/** Codes whose message always concerns one field. */
const FIELD_OF_CODE: Record<string, string> = {
  'InvalidVpc.Range': 'cidr_block',
  'InvalidSubnet.Range': 'cidr_block',
  'InvalidSubnet.Conflict': 'cidr_block',
  'InvalidUser.Duplicate': 'email',
};

/**
 * The form field an API error is about, among the form's fields, so that the message can stand under
 * that field; undefined when it concerns the request as a whole.
 */
export function fieldOfError(error: ConsoleError | undefined, fields: readonly string[]): string | undefined {
  if (!error) {
    return undefined;
  }
  const byCode = FIELD_OF_CODE[error.code];
  if (byCode && fields.includes(byCode)) {
    return byCode;
  }
  if (!['InvalidParameterValue', 'MissingParameter', 'UnknownParameter'].includes(error.code) && !byCode) {
    return undefined;
  }
  const named = /\bparameter '?([a-z_]+)'?/.exec(error.message)?.[1];
  if (named && fields.includes(named)) {
    return named;
  }
  const leading = /^([a-z_]+) /.exec(error.message)?.[1];
  if (leading && fields.includes(leading)) {
    return leading;
  }
  if (/is not a valid email address/.test(error.message) && fields.includes('email')) {
    return 'email';
  }
  return undefined;
}
