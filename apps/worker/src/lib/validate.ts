import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { ApiError } from './errors.js';

/** Validation failures the contract gives their own error code, by field path and zod issue code. */
const SPECIFIC_CODES: { path: string; issue: string; code: string }[] = [
  // "1201 s answers `episode_too_long`" (episode create and patch).
  { path: 'durationSeconds', issue: 'too_big', code: 'episode_too_long' },
];

/**
 * `zValidator` with the API's error shape: 400 `invalid_request` listing every issue by path
 * (or a more specific code from {@link SPECIFIC_CODES}, whose issue then leads the message).
 * Malformed JSON answers 400 `invalid_json` before this runs (see `index.ts`).
 */
export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      const raw = result.error.issues;
      const issues = raw.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      let code = 'invalid_request';
      let lead = issues[0];
      for (const rule of SPECIFIC_CODES) {
        const index = raw.findIndex((i, n) => i.code === rule.issue && issues[n]!.path === rule.path);
        if (index >= 0) {
          code = rule.code;
          lead = issues[index];
          break;
        }
      }
      const message = lead ? (lead.path ? `${lead.path}: ${lead.message}` : lead.message) : 'Invalid request';
      throw new ApiError(400, code, message, { issues });
    }
  });
