import { episodeIdSchema, purchaseIdSchema, seriesIdSchema } from '@series/core';
import { validator } from 'hono/validator';
import { z } from 'zod';
import { notFound } from './errors.js';

/** A malformed id can name nothing: answer 404 like an unknown one rather than describing the format. */
function idParam<S extends z.ZodType<string>>(schema: S, what: string) {
  return validator('param', (value) => {
    const parsed = z.object({ id: schema }).safeParse(value);
    if (!parsed.success) throw notFound(what);
    return parsed.data;
  });
}

export const seriesIdParam = idParam(seriesIdSchema, 'Series');
export const episodeIdParam = idParam(episodeIdSchema, 'Episode');
export const purchaseIdParam = idParam(purchaseIdSchema, 'Purchase');
