import { describe, expect, it, vi } from 'vitest';
import { checkBody, ApiFailure } from '../src/lib/api.js';
import { toCsv } from '../src/lib/csv.js';
import { daysBetween, presetRange } from '../src/lib/dates.js';
import { formatDay, formatMonth, money, parseDuration, percentFromBps } from '../src/lib/format.js';
import { minorToDecimal, parseMoneyInput } from '../src/lib/money.js';
import { APP_SCOPE, appHref, appPath } from '../src/lib/paths.js';
import { dailyCsv, episodesCsv, withFunnel } from '../src/pages/Analytics/export.js';
import type { EpisodeStats } from '../src/lib/types.js';

describe('money', () => {
  it('reads typed prices as minor units of the currency', () => {
    expect(parseMoneyInput('2.99', 'USD')).toBe(299);
    expect(parseMoneyInput(' 2,99 ', 'EUR')).toBe(299);
    expect(parseMoneyInput('189.99', 'USD')).toBe(18_999);
    expect(parseMoneyInput('0.1', 'USD')).toBe(10);
    expect(parseMoneyInput('300', 'JPY')).toBe(300);
    // Extra decimals stay fractional so the schema can say "whole number of minor units".
    expect(parseMoneyInput('2.999', 'USD')).toBe(299.9);
    expect(parseMoneyInput('1.5', 'JPY')).toBe(1.5);
    expect(parseMoneyInput('-1', 'USD')).toBe(-100);
    expect(parseMoneyInput('$2', 'USD')).toBeNaN();
    expect(parseMoneyInput('', 'USD')).toBeNaN();
  });

  it('writes minor units back as plain decimals', () => {
    expect(minorToDecimal(299, 'USD')).toBe('2.99');
    expect(minorToDecimal(5, 'USD')).toBe('0.05');
    expect(minorToDecimal(-150, 'EUR')).toBe('-1.50');
    expect(minorToDecimal(1_200, 'JPY')).toBe('1200');
    for (const amount of [0, 1, 99, 100, 18_999, 123_456_789])
      expect(parseMoneyInput(minorToDecimal(amount, 'USD'), 'USD')).toBe(amount);
  });

  it('formats money with Intl in the creator’s locale', () => {
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('de-DE');
    expect(money(123_456, 'EUR')).toBe('1.234,56\u00a0€');
    expect(money(1_200, 'JPY')).toBe('1.200\u00a0¥');
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('en-US');
    expect(money(299, 'USD')).toBe('$2.99');
    expect(percentFromBps(1_250)).toBe('12.5%');
  });
});

describe('dates', () => {
  it('gives each preset an inclusive UTC range ending today', () => {
    expect(presetRange('7d', '2026-03-10')).toEqual({ from: '2026-03-04', to: '2026-03-10' });
    expect(presetRange('30d', '2026-03-10')).toEqual({ from: '2026-02-09', to: '2026-03-10' });
    expect(presetRange('90d', '2026-03-10').from).toBe('2025-12-11');
    expect(presetRange('all', '2026-03-10')).toEqual({ from: null, to: '2026-03-10' });
    expect(daysBetween('2024-02-27', '2024-03-01')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(daysBetween('2024-03-02', '2024-03-01')).toEqual([]);
  });

  it('shows UTC days and months as the same calendar day in any locale and time zone', () => {
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('fr-FR');
    expect(formatDay('2026-03-01')).toBe('1 mars 2026');
    expect(formatMonth('2026-12')).toBe('décembre 2026');
  });

  it('reads durations typed as m:ss or seconds', () => {
    expect(parseDuration('1:35')).toBe(95);
    expect(parseDuration('95')).toBe(95);
    expect(parseDuration('1:75')).toBeNaN();
    expect(parseDuration('soon')).toBeNaN();
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas in creator-typed text', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x, y', 'say "hi"'],
          ['=HYPERLINK("http://evil")', 3],
          ['-5', -5],
        ],
      ),
    ).toBe('a,b\r\n"x, y","say ""hi"""\r\n"\'=HYPERLINK(""http://evil"")",3\r\n\'-5,-5\r\n');
  });

  const row = (fields: Partial<Extract<EpisodeStats, { kind: 'episode' }>>): EpisodeStats => ({
    kind: 'episode',
    seriesId: 'ser_1',
    seriesTitle: 'Night Ferry',
    episodeId: 'ep_1',
    number: 1,
    title: 'Departure',
    free: false,
    currency: 'USD',
    sales: 0,
    gross: 0,
    refunded: 0,
    commission: 0,
    payout: 0,
    tax: 0,
    ...fields,
  });

  it('exports the per-episode table with the funnel counts and plain decimal amounts', () => {
    const rows = withFunnel(
      [row({ sales: 2, gross: 598, tax: 100, commission: 49, payout: 449 })],
      [
        {
          kind: 'episode',
          seriesId: 'ser_1',
          episodeId: 'ep_1',
          title: 'Departure',
          views: 40,
          checkouts: 3,
          purchases: 2,
        },
        {
          kind: 'series',
          seriesId: 'ser_1',
          episodeId: null,
          title: 'Whole series',
          views: 0,
          checkouts: 1,
          purchases: 0,
        },
      ],
      new Map([['ser_1', 'Night Ferry']]),
    );
    expect(rows.map((r) => [r.title, r.views, r.checkouts, r.sales])).toEqual([
      ['Departure', 40, 3, 2],
      ['Whole series', 0, 1, 0],
    ]);
    expect(episodesCsv(rows, 'USD').split('\r\n')).toEqual([
      'Series,Episode,Title,Currency,Sales,Gross,Refunded,Tax,Commission,Payout,Unlock views,Checkouts',
      'Night Ferry,1,Departure,USD,2,5.98,0.00,1.00,0.49,4.49,40,3',
      'Night Ferry,whole series,Whole series,USD,0,0.00,0.00,0.00,0.00,0.00,0,1',
      '',
    ]);
  });

  it('exports the days of one currency', () => {
    const csv = dailyCsv(
      [
        { day: '2026-03-01', currency: 'JPY', sales: 1, gross: 300, refunded: 0, commission: 0, payout: 250, tax: 50 },
        { day: '2026-03-01', currency: 'USD', sales: 1, gross: 299, refunded: 0, commission: 0, payout: 299, tax: 0 },
      ],
      'JPY',
    );
    expect(csv).toBe(
      'Day (UTC),Currency,Sales,Gross,Refunded,Tax,Commission,Payout\r\n2026-03-01,JPY,1,300,0,50,0,250\r\n',
    );
  });
});

describe('API errors', () => {
  it('keeps the API’s code, message and issues, and tells an unreachable API apart', () => {
    const refused = (() => {
      try {
        checkBody(400, {
          error: {
            code: 'invalid_price',
            message: 'Price must be…',
            issues: [{ path: 'price', message: 'Price must be…' }],
          },
        });
      } catch (err) {
        return err as ApiFailure;
      }
    })();
    expect(refused).toBeInstanceOf(ApiFailure);
    expect(refused).toMatchObject({ status: 400, code: 'invalid_price', issues: [{ path: 'price' }] });
    expect(refused!.unreachable).toBe(false);
    // A proxy or gateway answering for a worker that is down: not the API's JSON.
    expect(() => checkBody(502, null)).toThrow(expect.objectContaining({ code: 'api_unreachable' }));
    expect(checkBody(200, { ok: true })).toEqual({ ok: true });
  });
});

describe('addresses', () => {
  it('puts every app path under /dashboard, and reads it back', () => {
    expect(appHref('/')).toBe('/dashboard/');
    expect(appHref('/series/ser_1')).toBe('/dashboard/series/ser_1');
    expect(appPath('/dashboard')).toBe('/');
    expect(appPath('/dashboard/analytics')).toBe('/analytics');
  });

  it('leaves the worker’s own pages on this origin to the browser', () => {
    for (const href of ['/dashboard', '/dashboard/', '/dashboard/series/ser_1', '/dashboard?x=1'])
      expect(APP_SCOPE!.test(href), href).toBe(true);
    for (const href of ['/', '/@seriesdemo', '/checkout/pur_1', '/dashboardx', '/library'])
      expect(APP_SCOPE!.test(href), href).toBe(false);
  });
});
