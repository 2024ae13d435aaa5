import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CURRENCIES, CURRENCY_CODES, priceBoundsMessage } from './currency.js';
import {
  MAX_COMMISSION_BPS,
  MAX_DESCRIPTION_LENGTH,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_EPISODE_SECONDS,
  MAX_TITLE_LENGTH,
} from './limits.js';
import {
  amountSchema,
  analyticsQuerySchema,
  checkoutSchema,
  commissionSchema,
  coverUrlSchema,
  creatorClaimSchema,
  creatorStatusSchema,
  credentialsSchema,
  currencySchema,
  durationSchema,
  emailSchema,
  episodeCreateSchema,
  episodeIdSchema,
  episodePatchSchema,
  handleSchema,
  idempotencyKeySchema,
  loginSchema,
  passwordSchema,
  purchaseIdSchema,
  seriesCreateSchema,
  seriesIdSchema,
  seriesPatchSchema,
  storefrontViewSchema,
  videoIdSchema,
} from './schemas.js';

// ---------------------------------------------------------------------------------------------
// helpers

type Path = readonly PropertyKey[];

/** Parses and returns the output, failing the test with zod's own explanation otherwise. */
function accept<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new Error(`expected ${JSON.stringify(input)} to be accepted, got:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** Asserts rejection and returns the issues. */
function reject(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) {
    throw new Error(`expected ${JSON.stringify(input)} to be rejected, got ${JSON.stringify(result.data)}`);
  }
  return result.error.issues;
}

/** Asserts rejection with (at least) one issue at `path`, so the input is not refused for some unrelated reason. */
function rejectAt(schema: z.ZodType, input: unknown, path: Path) {
  const issues = reject(schema, input);
  expect(issues.map((i) => i.path)).toContainEqual(path);
  return issues;
}

const ALNUM = /^[0-9A-Za-z]+$/;
const alnum = (n: number) => 'aB3'.repeat(Math.ceil(n / 3)).slice(0, n);
const EP = `ep_${alnum(16)}`;
const SER = `ser_${alnum(16)}`;

/** Every C0 control character plus DEL and the C1 controls (Unicode general category Cc). */
const CONTROL_CHARS = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
];
const controlCharArb = fc.constantFrom(...CONTROL_CHARS);

// ---------------------------------------------------------------------------------------------

describe('durationSchema / episode durationSeconds', () => {
  const base = { title: 'Episode 1', price: 199 };

  it('accepts every whole second in 1..1200 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_EPISODE_SECONDS }), (seconds) => {
        expect(accept(durationSchema, seconds)).toBe(seconds);
        expect(accept(episodeCreateSchema, { ...base, durationSeconds: seconds }).durationSeconds).toBe(seconds);
      }),
    );
  });

  it('accepts the bounds 1 and 1200 (20 minutes)', () => {
    expect(MAX_EPISODE_SECONDS).toBe(1200);
    expect(accept(durationSchema, 1)).toBe(1);
    expect(accept(durationSchema, 1200)).toBe(1200);
  });

  it.each([
    ['0', 0],
    ['1201', 1201],
    ['negative', -1],
    ['fractional 1.5', 1.5],
    ['fractional 1199.9', 1199.9],
    ['string "60"', '60'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['null', null],
    ['missing', undefined],
  ])('rejects %s', (_label, durationSeconds) => {
    reject(durationSchema, durationSeconds);
    rejectAt(episodeCreateSchema, { ...base, durationSeconds }, ['durationSeconds']);
  });

  it('rejects every integer outside 1..1200 (property)', () => {
    fc.assert(
      fc.property(fc.integer(), (seconds) => {
        fc.pre(seconds < 1 || seconds > MAX_EPISODE_SECONDS);
        rejectAt(episodeCreateSchema, { ...base, durationSeconds: seconds }, ['durationSeconds']);
      }),
    );
  });

  it('says the limit in minutes', () => {
    const [issue] = reject(durationSchema, 1201);
    expect(issue?.message).toBe('An episode lasts at most 20 minutes');
  });
});

describe('amountSchema / episode price', () => {
  const base = { title: 'Episode 1', durationSeconds: 60 };

  it('accepts null as "free"', () => {
    expect(accept(episodeCreateSchema, { ...base, price: null }).price).toBeNull();
  });

  it('accepts non-negative integer prices (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000_000 }), (price) => {
        expect(accept(amountSchema, price)).toBe(price);
        expect(accept(episodeCreateSchema, { ...base, price }).price).toBe(price);
      }),
    );
  });

  it.each([
    ['negative', -1],
    ['fractional', 19.99],
    ['string', '199'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['beyond MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER + 1],
    ['boolean', true],
  ])('rejects %s', (_label, price) => {
    reject(amountSchema, price);
    rejectAt(episodeCreateSchema, { ...base, price }, ['price']);
  });

  it('price is required (null, not missing, means free)', () => {
    rejectAt(episodeCreateSchema, base, ['price']);
  });

  it('rejects any negative or fractional price (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), (price) => {
        fc.pre(price < 0 || !Number.isInteger(price));
        rejectAt(episodeCreateSchema, { ...base, price }, ['price']);
      }),
    );
  });
});

describe('episodeCreateSchema', () => {
  const valid = { title: 'Episode 1', durationSeconds: 60, price: 199 };

  it('fills optional fields with null', () => {
    expect(accept(episodeCreateSchema, valid)).toEqual({ ...valid, videoId: null, releaseAt: null });
  });

  it('keeps given videoId and releaseAt', () => {
    const input = { ...valid, videoId: '7301234567890123456', releaseAt: '2025-06-01T12:00:00Z' };
    expect(accept(episodeCreateSchema, input)).toEqual(input);
    expect(accept(episodeCreateSchema, { ...valid, releaseAt: '2025-06-01T12:00:00+02:00' }).releaseAt).toBe(
      '2025-06-01T12:00:00+02:00',
    );
  });

  it.each(['2025-06-01', 'tomorrow', '2025-06-01 12:00', '', 1_700_000_000_000])(
    'rejects releaseAt %j',
    (releaseAt) => {
      rejectAt(episodeCreateSchema, { ...valid, releaseAt }, ['releaseAt']);
    },
  );

  it('rejects unknown keys (strict)', () => {
    const issues = reject(episodeCreateSchema, { ...valid, seriesId: SER });
    expect(issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });

  it('rejects a missing title', () => {
    rejectAt(episodeCreateSchema, { durationSeconds: 60, price: null }, ['title']);
  });
});

describe('episodePatchSchema', () => {
  it('rejects an empty object', () => {
    const issues = reject(episodePatchSchema, {});
    expect(issues.map((i) => i.message)).toContain('Nothing to update');
  });

  it('accepts single-field patches', () => {
    expect(accept(episodePatchSchema, { title: ' New ' })).toEqual({ title: 'New' });
    expect(accept(episodePatchSchema, { price: null })).toEqual({ price: null });
    expect(accept(episodePatchSchema, { number: 1 })).toEqual({ number: 1 });
    expect(accept(episodePatchSchema, { releaseAt: null })).toEqual({ releaseAt: null });
  });

  it('validates fields like create does', () => {
    rejectAt(episodePatchSchema, { durationSeconds: 1201 }, ['durationSeconds']);
    rejectAt(episodePatchSchema, { price: -1 }, ['price']);
    rejectAt(episodePatchSchema, { number: 0 }, ['number']);
    rejectAt(episodePatchSchema, { number: 1.5 }, ['number']);
    rejectAt(episodePatchSchema, { number: 10_001 }, ['number']);
  });

  it('rejects unknown keys (strict)', () => {
    const issues = reject(episodePatchSchema, { title: 'x', currency: 'USD' });
    expect(issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });
});

describe('titles, display names and descriptions', () => {
  const episode = (title: unknown) => ({ title, durationSeconds: 60, price: null });
  const series = (extra: Record<string, unknown>) => ({ title: 'My series', currency: 'USD', ...extra });

  it('trims titles', () => {
    expect(accept(episodeCreateSchema, episode('  Pilot  ')).title).toBe('Pilot');
  });

  it(`accepts titles up to ${MAX_TITLE_LENGTH} characters, rejects longer`, () => {
    expect(MAX_TITLE_LENGTH).toBe(120);
    expect(accept(episodeCreateSchema, episode('t'.repeat(120))).title).toHaveLength(120);
    // surrounding whitespace does not count
    expect(accept(episodeCreateSchema, episode(`  ${'t'.repeat(120)}  `)).title).toHaveLength(120);
    rejectAt(episodeCreateSchema, episode('t'.repeat(121)), ['title']);
    rejectAt(seriesCreateSchema, series({ title: 't'.repeat(121) }), ['title']);
    rejectAt(seriesPatchSchema, { title: 't'.repeat(1000) }, ['title']);
  });

  it('rejects over-long titles (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: MAX_TITLE_LENGTH + 1, maxLength: 400 }), (title) => {
        fc.pre(title.trim().length > MAX_TITLE_LENGTH);
        rejectAt(episodeCreateSchema, episode(title), ['title']);
      }),
    );
  });

  it.each(['', '   ', '\t\n'])('rejects blank title %j', (title) => {
    rejectAt(episodeCreateSchema, episode(title), ['title']);
    rejectAt(seriesCreateSchema, series({ title }), ['title']);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['tab', 'a\tb'],
    ['newline', 'Line\nbreak'],
    ['carriage return', 'a\rb'],
    ['escape', 'a\u001b[31mred'],
    ['DEL', 'a\u007fb'],
    ['C1 next line', 'a\u0085b'],
    ['C1 CSI', 'a\u009bb'],
  ])('rejects a title containing %s', (_label, title) => {
    const issues = rejectAt(episodeCreateSchema, episode(title), ['title']);
    expect(issues.map((i) => i.message)).toContain('Title must not contain control characters');
    rejectAt(seriesCreateSchema, series({ title }), ['title']);
  });

  it('rejects a title with any control character inside (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), controlCharArb, fc.string({ maxLength: 50 }), (a, c, b) => {
        rejectAt(episodeCreateSchema, episode(`x${a}${c}${b}x`), ['title']);
      }),
    );
  });

  it('accepts ordinary Unicode titles', () => {
    for (const title of ['Épisode 1 — the beginning', '第1話', 'Emoji 🎬 ok', 'Quotes "and" \'apostrophes\'']) {
      expect(accept(episodeCreateSchema, episode(title)).title).toBe(title);
    }
  });

  it('display name: trimmed, 1..60, no control characters', () => {
    const claim = (displayName: string) => ({ handle: 'someone', displayName });
    expect(MAX_DISPLAY_NAME_LENGTH).toBe(60);
    expect(accept(creatorClaimSchema, claim('  Some One  ')).displayName).toBe('Some One');
    expect(accept(creatorClaimSchema, claim('n'.repeat(60))).displayName).toHaveLength(60);
    rejectAt(creatorClaimSchema, claim('n'.repeat(61)), ['displayName']);
    rejectAt(creatorClaimSchema, claim('   '), ['displayName']);
    rejectAt(creatorClaimSchema, claim('a\nb'), ['displayName']);
  });

  it('description allows newlines (LF and CRLF) and defaults to empty', () => {
    const description = 'First line\nSecond line\r\nThird line\n\nAfter a blank line';
    expect(accept(seriesCreateSchema, series({ description })).description).toBe(description);
    expect(accept(seriesCreateSchema, series({})).description).toBe('');
    expect(accept(seriesPatchSchema, { description: 'a\nb' })).toEqual({ description: 'a\nb' });
    expect(accept(seriesCreateSchema, series({ description: '  padded\n ' })).description).toBe('padded');
  });

  it('description rejects other control characters (property)', () => {
    fc.assert(
      fc.property(controlCharArb, (c) => {
        fc.pre(c !== '\n' && c !== '\r');
        rejectAt(seriesCreateSchema, series({ description: `a${c}b` }), ['description']);
      }),
    );
  });

  it(`description is at most ${MAX_DESCRIPTION_LENGTH} characters`, () => {
    expect(accept(seriesCreateSchema, series({ description: 'd'.repeat(2000) })).description).toHaveLength(2000);
    rejectAt(seriesCreateSchema, series({ description: 'd'.repeat(2001) }), ['description']);
  });
});

describe('handleSchema', () => {
  it.each([
    ['@Some.User', 'some.user'],
    ['Some.User', 'some.user'],
    ['  @Some_User_9  ', 'some_user_9'],
    ['ab', 'ab'],
    ['.dot_start', '.dot_start'],
    ['h'.repeat(24), 'h'.repeat(24)],
    [`@${'h'.repeat(24)}`, 'h'.repeat(24)],
  ])('normalises %j to %j', (input, expected) => {
    expect(accept(handleSchema, input)).toBe(expected);
  });

  it.each([
    ['too short', 'a'],
    ['too short after @', '@a'],
    ['25 characters', 'h'.repeat(25)],
    ['hyphen', 'bad-char'],
    ['space inside', 'bad char'],
    ['ends with a period', 'ends.'],
    ['ends with a period after @', '@Ends.'],
    ['double @', '@@handle'],
    ['non-ASCII letter', 'émile'],
    ['empty', ''],
    ['slash', 'a/b'],
  ])('rejects %s (%j)', (_label, input) => {
    reject(handleSchema, input);
    rejectAt(creatorClaimSchema, { handle: input, displayName: 'Name' }, ['handle']);
  });

  it('rejects non-strings', () => {
    reject(handleSchema, 42);
    reject(handleSchema, null);
  });

  it('output is always lower-case, without @, 2..24 chars of [a-z0-9_.], not ending in "." (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (input) => {
        const result = handleSchema.safeParse(input);
        if (result.success) {
          expect(result.data).toMatch(/^[a-z0-9_.]{2,24}$/);
          expect(result.data.endsWith('.')).toBe(false);
        }
      }),
    );
  });

  it('accepts every valid handle, with or without @ and in any case (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9_.]{1,23}[a-z0-9_]$/), fc.boolean(), fc.boolean(), (handle, at, upper) => {
        const input = `${at ? '@' : ''}${upper ? handle.toUpperCase() : handle}`;
        expect(accept(handleSchema, input)).toBe(handle);
      }),
    );
  });
});

describe('emailSchema, passwords, credentials', () => {
  it('lower-cases and trims emails', () => {
    expect(accept(emailSchema, '  Some.One@Example.COM \n')).toBe('some.one@example.com');
    expect(accept(credentialsSchema, { email: 'A@B.CO', password: 'p'.repeat(10) })).toEqual({
      email: 'a@b.co',
      password: 'p'.repeat(10),
    });
  });

  it.each(['', 'not-an-email', 'a@b', '@example.com', 'a b@example.com', 'a@@example.com'])('rejects %j', (email) => {
    reject(emailSchema, email);
  });

  it('is at most 254 characters (after trimming)', () => {
    const domain = '@example.com';
    const longest = `${'a'.repeat(254 - domain.length)}${domain}`;
    expect(longest).toHaveLength(254);
    expect(accept(emailSchema, `  ${longest}  `)).toBe(longest);
    const issues = reject(emailSchema, `a${longest}`);
    expect(issues.map((i) => i.message)).toContain('Email must be at most 254 characters');
  });

  it('passwords are 10..200 characters and not trimmed', () => {
    expect(accept(passwordSchema, 'p'.repeat(10))).toBe('p'.repeat(10));
    expect(accept(passwordSchema, 'p'.repeat(200))).toHaveLength(200);
    expect(accept(passwordSchema, ' '.repeat(10))).toBe(' '.repeat(10));
    reject(passwordSchema, 'p'.repeat(9));
    reject(passwordSchema, 'p'.repeat(201));
    rejectAt(credentialsSchema, { email: 'a@b.co', password: 'short' }, ['password']);
  });

  it('login accepts any non-empty password up to 200 characters', () => {
    expect(accept(loginSchema, { email: 'a@b.co', password: 'x' })).toEqual({ email: 'a@b.co', password: 'x' });
    rejectAt(loginSchema, { email: 'a@b.co', password: '' }, ['password']);
    rejectAt(loginSchema, { email: 'a@b.co', password: 'x'.repeat(201) }, ['password']);
  });

  it('credentials and login reject unknown keys (strict)', () => {
    for (const schema of [credentialsSchema, loginSchema]) {
      const issues = reject(schema, { email: 'a@b.co', password: 'p'.repeat(10), admin: true });
      expect(issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
    }
  });
});

describe('strict objects reject unknown keys', () => {
  const cases: [string, z.ZodType, Record<string, unknown>][] = [
    ['credentialsSchema', credentialsSchema, { email: 'a@b.co', password: 'p'.repeat(10) }],
    ['loginSchema', loginSchema, { email: 'a@b.co', password: 'x' }],
    ['creatorClaimSchema', creatorClaimSchema, { handle: 'someone', displayName: 'Some One' }],
    ['seriesCreateSchema', seriesCreateSchema, { title: 'S', currency: 'USD' }],
    ['seriesPatchSchema', seriesPatchSchema, { title: 'S' }],
    ['episodeCreateSchema', episodeCreateSchema, { title: 'E', durationSeconds: 60, price: null }],
    ['episodePatchSchema', episodePatchSchema, { title: 'E' }],
    ['commissionSchema', commissionSchema, { bps: 0 }],
    ['analyticsQuerySchema', analyticsQuerySchema, { from: '2024-01-01' }],
    ['checkoutSchema (episode)', checkoutSchema, { episodeId: EP }],
    ['checkoutSchema (series)', checkoutSchema, { seriesId: SER }],
  ];

  it.each(cases)('%s', (_name, schema, valid) => {
    accept(schema, valid);
    reject(schema, { ...valid, unexpected: 1 });
  });

  it('for any unknown key name (property)', () => {
    const known = new Set(cases.flatMap(([, , valid]) => Object.keys(valid)));
    known.add('description').add('coverUrl').add('bundlePrice').add('price').add('videoId').add('releaseAt');
    known.add('durationSeconds').add('number').add('to').add('currency').add('seriesId').add('episodeId');
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.string({ minLength: 1, maxLength: 12 }), ([, schema, valid], key) => {
        fc.pre(!known.has(key) && key !== '__proto__');
        reject(schema, { ...valid, [key]: 'x' });
      }),
    );
  });
});

describe('coverUrlSchema', () => {
  it('accepts https URLs, and null on a series', () => {
    expect(accept(coverUrlSchema, 'https://cdn.example.com/c.jpg')).toBe('https://cdn.example.com/c.jpg');
    expect(accept(seriesCreateSchema, { title: 'S', currency: 'USD', coverUrl: null }).coverUrl).toBeNull();
  });

  it.each(['http://cdn.example.com/c.jpg', 'javascript:alert(1)', 'data:image/png;base64,AAAA', 'not a url', ''])(
    'rejects %j',
    (url) => {
      reject(coverUrlSchema, url);
      rejectAt(seriesPatchSchema, { coverUrl: url }, ['coverUrl']);
    },
  );

  it('rejects URLs longer than 2048 characters', () => {
    const prefix = 'https://cdn.example.com/';
    accept(coverUrlSchema, prefix + 'a'.repeat(2048 - prefix.length));
    reject(coverUrlSchema, prefix + 'a'.repeat(2049 - prefix.length));
  });
});

describe('videoIdSchema', () => {
  it('accepts 1..25 decimal digits', () => {
    expect(accept(videoIdSchema, '7')).toBe('7');
    expect(accept(videoIdSchema, '9'.repeat(25))).toBe('9'.repeat(25));
  });

  it.each(['', '9'.repeat(26), 'abc', '123a', ' 123', '-1', '1.5'])('rejects %j', (id) => {
    reject(videoIdSchema, id);
  });

  it('rejects numbers (must be a string, ids exceed 2^53)', () => {
    reject(videoIdSchema, 7301234567);
  });
});

describe('currencySchema', () => {
  it.each(CURRENCY_CODES)('accepts %s', (code) => {
    expect(accept(currencySchema, code)).toBe(code);
  });

  it.each(['XYZ', 'usd', 'toString', '__proto__', '', 'US'])('rejects %j', (code) => {
    const [issue] = reject(currencySchema, code);
    expect(issue?.message).toBe(`Currency must be one of ${CURRENCY_CODES.join(', ')}`);
  });
});

describe('seriesCreateSchema', () => {
  it('applies defaults', () => {
    expect(accept(seriesCreateSchema, { title: ' My series ', currency: 'EUR' })).toEqual({
      title: 'My series',
      description: '',
      coverUrl: null,
      currency: 'EUR',
      bundlePrice: null,
    });
  });

  it('accepts a bundle price within the currency bounds, for every currency (property)', () => {
    const arb = fc
      .constantFrom(...CURRENCY_CODES)
      .chain((currency) =>
        fc.tuple(fc.constant(currency), fc.integer({ min: CURRENCIES[currency].min, max: CURRENCIES[currency].max })),
      );
    fc.assert(
      fc.property(arb, ([currency, bundlePrice]) => {
        expect(accept(seriesCreateSchema, { title: 'S', currency, bundlePrice }).bundlePrice).toBe(bundlePrice);
      }),
    );
  });

  it.each(CURRENCY_CODES)('%s: rejects min-1 and max+1 at path ["bundlePrice"] with the bounds message', (currency) => {
    const { min, max } = CURRENCIES[currency];
    for (const bundlePrice of [min - 1, max + 1]) {
      const issues = rejectAt(seriesCreateSchema, { title: 'S', currency, bundlePrice }, ['bundlePrice']);
      expect(issues).toHaveLength(1);
      expect(issues[0]?.message).toBe(priceBoundsMessage(currency));
    }
  });

  it('checks bounds per currency: 150 is fine in JPY but not in KRW; 99 fine in USD but not in BRL', () => {
    accept(seriesCreateSchema, { title: 'S', currency: 'JPY', bundlePrice: 150 });
    rejectAt(seriesCreateSchema, { title: 'S', currency: 'KRW', bundlePrice: 150 }, ['bundlePrice']);
    accept(seriesCreateSchema, { title: 'S', currency: 'USD', bundlePrice: 99 });
    rejectAt(seriesCreateSchema, { title: 'S', currency: 'BRL', bundlePrice: 99 }, ['bundlePrice']);
  });

  it('rejects any out-of-bounds bundle price (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCY_CODES),
        fc.integer({ min: 0, max: 2_000_000_000 }),
        (currency, bundlePrice) => {
          const { min, max } = CURRENCIES[currency];
          fc.pre(bundlePrice < min || bundlePrice > max);
          rejectAt(seriesCreateSchema, { title: 'S', currency, bundlePrice }, ['bundlePrice']);
        },
      ),
    );
  });

  it.each([
    ['fractional', 999.5],
    ['negative', -999],
    ['string', '999'],
  ])('rejects a %s bundle price', (_label, bundlePrice) => {
    rejectAt(seriesCreateSchema, { title: 'S', currency: 'USD', bundlePrice }, ['bundlePrice']);
  });

  it.each(['XYZ', 'usd', 'toString', ''])(
    'rejects unknown currency %j at path ["currency"] without throwing',
    (currency) => {
      expect(() => seriesCreateSchema.safeParse({ title: 'S', currency, bundlePrice: 999 })).not.toThrow();
      rejectAt(seriesCreateSchema, { title: 'S', currency, bundlePrice: 999 }, ['currency']);
      rejectAt(seriesCreateSchema, { title: 'S', currency }, ['currency']);
    },
  );

  it('requires a currency', () => {
    rejectAt(seriesCreateSchema, { title: 'S' }, ['currency']);
    rejectAt(seriesCreateSchema, { title: 'S', bundlePrice: 999 }, ['currency']);
  });
});

describe('seriesPatchSchema', () => {
  it('rejects changing the currency', () => {
    const issues = reject(seriesPatchSchema, { currency: 'EUR' });
    expect(issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
    reject(seriesPatchSchema, { title: 'New', currency: 'USD' });
  });

  it('rejects an empty patch', () => {
    const issues = reject(seriesPatchSchema, {});
    expect(issues.map((i) => i.message)).toContain('Nothing to update');
  });

  it('accepts partial updates', () => {
    expect(accept(seriesPatchSchema, { title: ' New ' })).toEqual({ title: 'New' });
    expect(accept(seriesPatchSchema, { bundlePrice: null })).toEqual({ bundlePrice: null });
    expect(accept(seriesPatchSchema, { bundlePrice: 1999 })).toEqual({ bundlePrice: 1999 });
    expect(accept(seriesPatchSchema, { coverUrl: null })).toEqual({ coverUrl: null });
    expect(accept(seriesPatchSchema, { description: '' })).toEqual({ description: '' });
  });

  it('does not fill create defaults', () => {
    expect(accept(seriesPatchSchema, { title: 'x' })).not.toHaveProperty('description');
    expect(accept(seriesPatchSchema, { title: 'x' })).not.toHaveProperty('bundlePrice');
  });

  it('rejects invalid field values', () => {
    rejectAt(seriesPatchSchema, { bundlePrice: -1 }, ['bundlePrice']);
    rejectAt(seriesPatchSchema, { bundlePrice: 1.5 }, ['bundlePrice']);
    rejectAt(seriesPatchSchema, { title: '' }, ['title']);
  });
});

describe('ids and checkoutSchema', () => {
  const idBody = fc.stringMatching(/^[0-9A-Za-z]{16,32}$/);

  it('id schemas accept prefix + 16..32 alphanumerics (property)', () => {
    fc.assert(
      fc.property(idBody, (body) => {
        expect(body).toMatch(ALNUM);
        accept(episodeIdSchema, `ep_${body}`);
        accept(seriesIdSchema, `ser_${body}`);
        accept(purchaseIdSchema, `pur_${body}`);
        reject(episodeIdSchema, `ser_${body}`);
        reject(seriesIdSchema, `ep_${body}`);
        reject(purchaseIdSchema, `ep_${body}`);
      }),
    );
  });

  it.each([
    ['15 characters', `ep_${alnum(15)}`],
    ['33 characters', `ep_${alnum(33)}`],
    ['wrong prefix', `ser_${alnum(16)}`],
    ['upper-case prefix', `EP_${alnum(16)}`],
    ['no underscore', `ep${alnum(16)}`],
    ['hyphen', `ep_${alnum(15)}-`],
    ['leading space', ` ep_${alnum(16)}`],
    ['trailing newline', `ep_${alnum(16)}\n`],
  ])('episodeIdSchema rejects %s', (_label, id) => {
    reject(episodeIdSchema, id);
  });

  it('checkout accepts {episodeId} or {seriesId}', () => {
    expect(accept(checkoutSchema, { episodeId: EP })).toEqual({ episodeId: EP });
    expect(accept(checkoutSchema, { seriesId: SER })).toEqual({ seriesId: SER });
    expect(accept(checkoutSchema, { episodeId: `ep_${alnum(32)}` })).toEqual({ episodeId: `ep_${alnum(32)}` });
  });

  it.each([
    ['both missing', {}],
    ['both given', { episodeId: EP, seriesId: SER }],
    ['episodeId with series prefix', { episodeId: `ser_${alnum(16)}` }],
    ['seriesId with episode prefix', { seriesId: `ep_${alnum(16)}` }],
    ['purchase id', { episodeId: `pur_${alnum(16)}` }],
    ['short id', { episodeId: `ep_${alnum(15)}` }],
    ['null episodeId', { episodeId: null }],
    ['not an object', EP],
    ['null', null],
  ])('checkout rejects %s', (_label, input) => {
    reject(checkoutSchema, input);
  });
});

describe('idempotencyKeySchema', () => {
  it('accepts 8..128 visible ASCII characters (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\x21-\x7e]{8,128}$/), (key) => {
        expect(accept(idempotencyKeySchema, key)).toBe(key);
      }),
    );
  });

  it('accepts the bounds', () => {
    accept(idempotencyKeySchema, 'k'.repeat(8));
    accept(idempotencyKeySchema, 'k'.repeat(128));
    accept(idempotencyKeySchema, '550e8400-e29b-41d4-a716-446655440000');
  });

  it.each([
    ['7 characters', 'k'.repeat(7)],
    ['129 characters', 'k'.repeat(129)],
    ['empty', ''],
    ['space inside', 'abcd efgh'],
    ['tab inside', 'abcd\tefgh'],
    ['non-ASCII', 'abcdéfgh'],
    ['trailing newline', 'abcdefgh\n'],
  ])('rejects %s', (_label, key) => {
    reject(idempotencyKeySchema, key);
  });

  it('says the header is required when it is missing', () => {
    const [issue] = reject(idempotencyKeySchema, undefined);
    expect(issue?.message).toBe('Idempotency-Key header is required');
  });
});

describe('commissionSchema', () => {
  it('accepts every integer 0..10000 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_COMMISSION_BPS }), (bps) => {
        expect(accept(commissionSchema, { bps })).toEqual({ bps });
      }),
    );
    accept(commissionSchema, { bps: 0 });
    accept(commissionSchema, { bps: 10_000 });
  });

  it('rejects any other number (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), (bps) => {
        fc.pre(!(Number.isInteger(bps) && bps >= 0 && bps <= MAX_COMMISSION_BPS));
        rejectAt(commissionSchema, { bps }, ['bps']);
      }),
    );
  });

  it.each([
    ['negative', -1],
    ['above 100%', 10_001],
    ['fractional', 2.5],
    ['string', '1000'],
    ['null', null],
  ])('rejects %s', (_label, bps) => {
    rejectAt(commissionSchema, { bps }, ['bps']);
  });

  it('requires bps and nothing else', () => {
    rejectAt(commissionSchema, {}, ['bps']);
    reject(commissionSchema, { bps: 100, percent: 1 });
  });
});

describe('analyticsQuerySchema', () => {
  it('accepts an empty query and each field alone', () => {
    expect(accept(analyticsQuerySchema, {})).toEqual({});
    expect(accept(analyticsQuerySchema, { from: '2024-01-01' })).toEqual({ from: '2024-01-01' });
    expect(accept(analyticsQuerySchema, { to: '2024-01-31' })).toEqual({ to: '2024-01-31' });
    expect(accept(analyticsQuerySchema, { currency: 'JPY' })).toEqual({ currency: 'JPY' });
    expect(accept(analyticsQuerySchema, { seriesId: SER })).toEqual({ seriesId: SER });
  });

  it('accepts from <= to, including a single day', () => {
    accept(analyticsQuerySchema, { from: '2024-01-01', to: '2024-01-31' });
    accept(analyticsQuerySchema, { from: '2024-03-05', to: '2024-03-05' });
    accept(analyticsQuerySchema, { from: '2023-12-31', to: '2024-01-01' });
  });

  it('rejects from > to at path ["from"]', () => {
    const issues = rejectAt(analyticsQuerySchema, { from: '2024-02-01', to: '2024-01-31' }, ['from']);
    expect(issues.map((i) => i.message)).toContain('`from` must not be after `to`');
    rejectAt(analyticsQuerySchema, { from: '2025-01-01', to: '2024-12-31' }, ['from']);
  });

  it('is valid exactly when from <= to, for any pair of dates (property)', () => {
    const dayArb = fc
      .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(dayArb, dayArb, (from, to) => {
        const ok = analyticsQuerySchema.safeParse({ from, to }).success;
        expect(ok).toBe(new Date(from).getTime() <= new Date(to).getTime());
      }),
    );
  });

  it('accepts 29 February only in leap years', () => {
    accept(analyticsQuerySchema, { from: '2024-02-29' });
    rejectAt(analyticsQuerySchema, { from: '2023-02-29' }, ['from']);
  });

  it.each([
    '2024-13-01',
    '2024-00-10',
    '2024-02-30',
    '2024-04-31',
    '2024-1-1',
    '2024/01/01',
    '01-01-2024',
    '2024-01-01T00:00:00Z',
    'yesterday',
    '',
  ])('rejects bad date %j', (date) => {
    rejectAt(analyticsQuerySchema, { from: date }, ['from']);
    rejectAt(analyticsQuerySchema, { to: date }, ['to']);
  });

  it('rejects an unknown currency or a malformed series id', () => {
    rejectAt(analyticsQuerySchema, { currency: 'XYZ' }, ['currency']);
    rejectAt(analyticsQuerySchema, { seriesId: `ep_${alnum(16)}` }, ['seriesId']);
  });
});

describe('creatorStatusSchema', () => {
  it('accepts exactly pending, approved, suspended', () => {
    for (const s of ['pending', 'approved', 'suspended', 'rejected', 'expired'])
      expect(accept(creatorStatusSchema, s)).toBe(s);
    for (const s of ['Pending', 'banned', '']) reject(creatorStatusSchema, s);
  });
});

describe('storefront checkout extras', () => {
  it.each(['/@seriesdemo', '/@seriesdemo/the-lighthouse-keeper/2', '/library?x=1', '/@h/s?src=bio&a=b'])(
    'returnTo accepts %s',
    (path) => {
      expect(accept(checkoutSchema, { episodeId: EP, returnTo: path })).toEqual({ episodeId: EP, returnTo: path });
    },
  );

  it.each([
    ['another site', 'https://evil.example/'],
    ['protocol-relative', '//evil.example/x'],
    ['backslash trick', '/\\evil.example'],
    ['relative', '@h/s'],
    ['javascript', 'javascript:alert(1)'],
    ['a newline', '/a\nb'],
    ['a tab', '/a\tb'],
    ['a fragment', '/a#b'],
    ['too long', `/${'a'.repeat(600)}`],
    ['empty', ''],
  ])('returnTo refuses %s', (_label, path) => {
    rejectAt(checkoutSchema, { episodeId: EP, returnTo: path }, ['returnTo']);
  });

  it('returnTo never leaves the origin it is resolved against (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (tail) => {
        const parsed = checkoutSchema.safeParse({ seriesId: SER, returnTo: `/${tail}` });
        if (parsed.success)
          expect(new (globalThis as any).URL(parsed.data.returnTo!, 'https://series.example').origin).toBe(
            'https://series.example',
          );
      }),
    );
  });

  it('source is a short lower-case word', () => {
    expect(accept(checkoutSchema, { seriesId: SER, source: 'bio' })).toEqual({ seriesId: SER, source: 'bio' });
    accept(storefrontViewSchema, { handle: 'seriesdemo', source: 'video-2' });
    for (const bad of ['', 'Bio', 'a b', '-x', 'x'.repeat(25), '<b>', 'bio\n']) {
      rejectAt(checkoutSchema, { seriesId: SER, source: bad }, ['source']);
      rejectAt(storefrontViewSchema, { handle: 'seriesdemo', source: bad }, ['source']);
    }
  });
});
