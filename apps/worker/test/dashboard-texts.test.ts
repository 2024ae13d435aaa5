// The dashboard's texts (dashboard/text-routes.ts): the `dashboard.*` slice of one language's catalogue.
import { CATALOGUES } from '@series/core';
import { describe, expect, it } from 'vitest';
import { call } from './helpers';

describe('GET /v1/texts/dashboard', () => {
  it('answers the dashboard slice in the language asked, cacheable, and nothing else', async () => {
    const fr = await call('GET', '/v1/texts/dashboard?lang=fr');
    expect(fr.status).toBe(200);
    expect(fr.headers.get('Cache-Control')).toMatch(/^public/);
    expect(fr.json.locale).toBe('fr');
    expect(fr.json.messages['dashboard.account.title']).toBe('Compte');
    expect(fr.json.messages['dashboard.error.invalid_credentials']).toBe(
      CATALOGUES.fr['dashboard.error.invalid_credentials'],
    );
    expect(Object.keys(fr.json.messages).every((k) => k.startsWith('dashboard.'))).toBe(true);
    expect(Object.keys(fr.json.messages).length).toBe(
      Object.keys(CATALOGUES.fr).filter((k) => k.startsWith('dashboard.')).length,
    );
    expect((await call('GET', '/v1/texts/dashboard?lang=en')).json.messages['dashboard.account.title']).toBe('Account');
    expect((await call('GET', '/v1/texts/dashboard?lang=de')).status).toBe(400);
  });
});
