import { describe, expect, it } from 'vitest';
import { formatMoney } from '../currency.js';
import { CATALOGUES, interpolate, LOCALES, negotiateLocale, pick, translator, type MessageKey } from './index.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it('every language has every key, with the same placeholders', () => {
    const keys = Object.keys(CATALOGUES.en).sort();
    for (const locale of LOCALES) {
      expect(Object.keys(CATALOGUES[locale]).sort()).toEqual(keys);
      for (const key of keys as MessageKey[]) {
        expect(placeholders(CATALOGUES[locale][key]), `${locale} ${key}`).toEqual(placeholders(CATALOGUES.en[key]));
        expect(CATALOGUES[locale][key].trim(), `${locale} ${key}`).not.toBe('');
      }
    }
  });

  it('French puts a narrow no-break space before : ; ! ? (never a plain space that could wrap)', () => {
    for (const [key, text] of Object.entries(CATALOGUES.fr)) expect(text, key).not.toMatch(/ [:;!?]/);
  });

  it('plural keys come in .one/.other pairs', () => {
    for (const key of Object.keys(CATALOGUES.en)) {
      if (key.endsWith('.one')) expect(CATALOGUES.en).toHaveProperty([key.replace(/\.one$/, '.other')]);
    }
  });
});

describe('translator', () => {
  it('fills placeholders and picks plural forms per language', () => {
    const en = translator('en');
    const fr = translator('fr');
    expect(en.t('series.by', { name: 'Ana' })).toBe('by Ana');
    expect(fr.t('series.by', { name: 'Ana' })).toBe('par Ana');
    expect(en.plural('series.episodes', 1)).toBe('1 episode');
    expect(en.plural('series.episodes', 0)).toBe('0 episodes');
    // French uses the singular for 0 and 1.
    expect(fr.plural('series.episodes', 0)).toBe('0 épisode');
    expect(fr.plural('series.episodes', 80)).toBe('80 épisodes');
  });

  it('formats money in the series currency for the viewer’s language', () => {
    expect(formatMoney(199, 'EUR', 'fr')).toBe('1,99\u00a0€');
    expect(formatMoney(199, 'EUR', 'en')).toBe('€1.99');
    expect(formatMoney(500, 'JPY', 'en')).toBe('¥500');
    expect(translator('en').price(18_999, 'USD')).toBe('$189.99');
  });

  it('formats dates in UTC and running times', () => {
    expect(translator('en').date('2026-12-12T23:30:00Z')).toBe('Dec 12, 2026');
    expect(translator('fr').date('2026-12-12T23:30:00Z')).toBe('12 déc. 2026');
    expect(translator('en').duration(95)).toBe('1 min 35 sec');
    expect(translator('en').duration(1200)).toBe('20 min');
    expect(translator('fr').duration(45)).toMatch(/^45\s?s$/u);
  });
});

describe('negotiateLocale', () => {
  it.each([
    [null, 'en'],
    ['', 'en'],
    ['fr-FR,fr;q=0.9,en;q=0.8', 'fr'],
    ['de-DE, fr;q=0.5, en;q=0.7', 'en'],
    ['de, it', 'en'],
    ['en;q=0, fr', 'fr'],
    ['FR-ca', 'fr'],
    ['*', 'en'],
    ['fr;q=abc, en', 'en'],
  ])('%s → %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });
});

describe('pick and interpolate', () => {
  it('ships only the keys a browser needs', () => {
    const slice = pick('fr', ['client.']);
    expect(Object.keys(slice).length).toBeGreaterThan(5);
    expect(Object.keys(slice).every((k) => k.startsWith('client.'))).toBe(true);
  });
  it('keeps unknown placeholders visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
