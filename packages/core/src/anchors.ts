import { z } from 'zod';

/**
 * The extension's page anchors as data: which paths of the video site are feeds or search results, which
 * elements say whose page or item is on screen, where overlays go, and what a feed item or a search card is.
 * The site renames its markup between releases and a store review of a new extension takes days, so the
 * worker serves this document (`GET /v1/extension/anchors`) and an admin publishes a new one without a
 * deploy (`PUT /v1/admin/extension/anchors`). Both sides validate with these schemas.
 *
 * Selectors are data, never code: the extension only hands them to `querySelector`, reads text or one named
 * attribute, and falls back to its built-in set selector by selector when one does not parse or matches
 * nothing. Nothing in the document is evaluated.
 */

/** The document format this code reads. A new shape gets a new number, so older extensions keep their built-in set. */
export const ANCHORS_FORMAT = 1;

// Braces and semicolons never appear in the selectors we need and would let a value escape into a style
// rule; backslash escapes are not needed either. Control characters are never meant.
const FORBIDDEN_IN_SELECTOR = /[{};\\\u0000-\u001f\u007f-\u009f]/;

/** One CSS selector, as `querySelector` takes it. Whether it parses is for the browser to say. */
export const anchorSelectorSchema = z
  .string()
  .trim()
  .min(1, 'Selector is required')
  .max(200, 'Selector must be at most 200 characters')
  .refine((s) => !FORBIDDEN_IN_SELECTOR.test(s), 'Selector must not contain { } ; \\ or control characters');

/** Selectors tried in order; the first that matches wins. */
const selectorList = z.array(anchorSelectorSchema).min(1, 'List at least one selector').max(8, 'At most 8 selectors');

/**
 * Where a value is read: the text of the first element matching `selector`, or its `attribute`. A value that
 * is a path or URL (`/@handle`, `/@handle/video/<id>`) is read as one; other text as a handle.
 */
export const anchorReaderSchema = z.strictObject({
  selector: anchorSelectorSchema,
  attribute: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, 'Attribute must be a lower-case attribute name')
    .optional(),
});
const readerList = z.array(anchorReaderSchema).min(1, 'List at least one reader').max(8, 'At most 8 readers');

/** A path of the site (`/foryou`), or a path ending in `/*` that also covers everything under it (`/search/*`). */
export const anchorPathSchema = z
  .string()
  .regex(
    /^\/[a-z0-9_.\-/]{0,60}(\/\*)?$/,
    'Path must start with / and use lower-case letters, digits, _ . - (optionally ending in /*)',
  );
const pathList = z.array(anchorPathSchema).min(1).max(20);

/** Items of a list (feed videos, search cards): how to find them and what to read inside each. */
const itemsSchema = z.strictObject({
  /** The items; the first selector that matches anything on the page is used. */
  items: selectorList,
  /** The item's author, from a `/@handle` link or the handle's text. */
  author: readerList,
  /** The item's video id: a `/video/<id>` link or an id ending in the video id (`xgwrapper-0-<id>`). */
  video: readerList,
  /** Inside the item, the element our button or badge goes after. */
  anchors: selectorList,
});

export const anchorSetSchema = z.strictObject({
  format: z.literal(ANCHORS_FORMAT),
  /** Page kinds the URL cannot tell by its shape (profiles and videos are `/@handle…` and stay in code). */
  pages: z.strictObject({ feed: pathList, search: pathList }),
  profile: z.strictObject({
    /** Elements that show whose profile the DOM renders (it may still show the previous one after a navigation). */
    identity: readerList,
    /** The shelf goes after the first match. */
    anchors: selectorList,
  }),
  video: z.strictObject({
    /** The part of the page showing the video: a dialog over a feed or profile, else the whole page. */
    scope: selectorList,
    identity: readerList,
    anchors: selectorList,
  }),
  feed: itemsSchema,
  search: itemsSchema,
});

/** What an admin sends. `expectedVersion` (the version being replaced, 0 for the first) refuses a lost update. */
export const publishAnchorsSchema = z.strictObject({
  anchors: anchorSetSchema,
  expectedVersion: z.number().int().min(0).optional(),
});

/** What the worker serves: the set in force, its version (1, 2, …, one per publish) and when it was published. */
export const anchorsDocumentSchema = z.strictObject({
  version: z.number().int().min(1),
  publishedAt: z.iso.datetime(),
  anchors: anchorSetSchema,
});

export type AnchorSet = z.infer<typeof anchorSetSchema>;
export type AnchorReader = z.infer<typeof anchorReaderSchema>;
export type AnchorsDocument = z.infer<typeof anchorsDocumentSchema>;
