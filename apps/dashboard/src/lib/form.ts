import type { ApiFailure } from './api.js';

/** Error messages by field path; '' holds a message about the form as a whole. */
export type FieldErrors = Record<string, string>;

/** The shape of a zod `safeParse` result, so forms can use the core schemas without importing zod. */
interface ParseResult {
  success: boolean;
  error?: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> };
}

/**
 * The first message per field from a core schema, i.e. exactly what the API would answer for the same
 * input (it validates with the same schema).
 */
export function fieldErrors(result: ParseResult): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of result.error?.issues ?? []) {
    const path = issue.path.map(String).join('.');
    errors[path] ??= issue.message;
  }
  return errors;
}

/** The API's refusal, placed on the fields it names (the API stays the authority). */
export function apiFieldErrors(err: ApiFailure, fields: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of err.issues) {
    if (fields.includes(issue.path)) errors[issue.path] ??= issue.message;
  }
  if (Object.keys(errors).length === 0) errors[''] = err.message;
  return errors;
}

export const hasErrors = (errors: FieldErrors) => Object.keys(errors).length > 0;
