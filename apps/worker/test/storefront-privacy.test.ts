import { describe, expect, it } from 'vitest';
import { call } from './helpers';

// The privacy policy both extension stores link to (apps/extension/build/store.ts gives them its address).
describe('privacy policy /privacy', () => {
  it('says exactly what the extension sends and what it never does, in English', async () => {
    const res = await call('GET', '/privacy');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const text = res.text.replace(/<[^>]+>/g, ' ');
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('<h1>Privacy policy</h1>');
    // Hash prefixes, bare episode ids, the sign-in, purchases and playback; never history or page addresses.
    // The figures are the code's (LOOKUP_PREFIX_LENGTH, the session lifetime), through Intl.
    expect(text).toContain('the first 4 hexadecimal characters of the SHA-256 hash');
    expect(text).toContain('one bucket out of 65,536');
    expect(text).toContain('Sessions are kept for 30 days at most');
    expect(text).toContain('the bare ids of the episodes whose button was shown');
    expect(text).toContain('your email address and password, over HTTPS');
    expect(text).toContain('the episode or series you buy, and the episode you play');
    expect(text).toContain('Your browsing history, the addresses of the pages you visit');
    expect(text).toContain('Last updated Dec 1, 2026.');
  });

  it('speaks French with its own canonical address, and every page links to it', async () => {
    const fr = await call('GET', '/privacy', { headers: { 'Accept-Language': 'fr-FR,fr;q=0.9' } });
    expect(fr.text).toContain('<html lang="fr">');
    expect(fr.text).toContain('<h1>Politique de confidentialité</h1>');
    expect(fr.text).toContain('empreinte SHA-256');
    expect(fr.text).toContain('un groupe sur 65\u202f536');
    expect(fr.text).toContain('Mise à jour le 1 déc. 2026.');
    // French typography: a narrow no-break space before the colon.
    expect(fr.text).toContain('Ce qu’elle envoie\u202f:');
    const switched = await call('GET', '/privacy?lang=fr');
    expect(switched.text).toContain('<link rel="canonical" href="http://api.test/privacy?lang=fr"/>');
    const en = await call('GET', '/privacy');
    expect(en.text).toContain('<link rel="canonical" href="http://api.test/privacy"/>');
    for (const page of [en, fr, await call('GET', '/')]) expect(page.text).toContain('<a href="/privacy">');
  });

  it('is a public page: cached per language with an ETag, under the storefront’s CSP', async () => {
    const first = await call('GET', '/privacy');
    expect(first.headers.get('Cache-Control')).toBe('public, max-age=30, s-maxage=60');
    expect(first.headers.get('Vary')).toContain('Accept-Language');
    expect(first.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    const etag = first.headers.get('ETag');
    expect(etag).toBeTruthy();
    const again = await call('GET', '/privacy', { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
  });
});
