import type { FormInstance } from 'antd';
import { fieldOfError, toConsoleError, type AnyError, type ConsoleError } from '../api/errors';

/**
 * Shows an API error where it belongs: under the field it concerns when there is one (the API's own
 * message), otherwise returned for the form to show above its buttons.
 */
export function applyApiError(form: FormInstance, error: AnyError, fields: readonly string[]): ConsoleError | undefined {
  const e = toConsoleError(error);
  if (!e) {
    return undefined;
  }
  const field = fieldOfError(e, fields);
  if (field) {
    form.setFields([{ name: field, errors: [e.message] }]);
    return undefined;
  }
  return e;
}

/** A form rule from a check that returns a message or null. */
export function checkRule(check: (value: string) => string | null) {
  return {
    validator: (_: unknown, value: string) => {
      const message = check(value);
      return message ? Promise.reject(new Error(message)) : Promise.resolve();
    },
  };
}
