import { pick } from '@series/core';
import { afterEach, describe, expect, it } from 'vitest';
import { errorText, formatDate, plural, setTexts, t } from './texts';

const use = (locale: 'en' | 'fr') => setTexts(locale, pick(locale, ['extension.']) as Record<string, string>);

describe('texts', () => {
  afterEach(() => use('en'));

  it('fills placeholders in the language in force', () => {
    use('en');
    expect(t('extension.episode.heading', { number: 2, series: 'The Lighthouse Keeper' })).toBe(
      'Episode 2 of The Lighthouse Keeper',
    );
    use('fr');
    expect(t('extension.episode.heading', { number: 2, series: 'The Lighthouse Keeper' })).toBe(
      'Épisode 2 de The Lighthouse Keeper',
    );
    expect(t('extension.episode.unlockShort', { price: '1,99 €' })).toBe('Débloquer 1,99 €');
  });

  it('picks plural forms by the language’s rules, never by concatenation', () => {
    use('en');
    expect([0, 1, 2].map((n) => plural('extension.common.episodes', n))).toEqual([
      '0 episodes',
      '1 episode',
      '2 episodes',
    ]);
    use('fr');
    // French uses the singular for 0 and 1.
    expect([0, 1, 2, 80].map((n) => plural('extension.common.episodes', n))).toEqual([
      '0 épisode',
      '1 épisode',
      '2 épisodes',
      '80 épisodes',
    ]);
    expect(plural('extension.shelf.free', 2)).toBe('2 gratuits');
    expect(plural('extension.player.buyAll', 5, { price: '4,99 €' })).toBe('Acheter les 5 épisodes — 4,99 €');
    // Numbers through Intl: a French thousands separator.
    expect(plural('extension.common.episodes', 1200)).toBe('1\u202f200 épisodes');
  });

  it('formats dates in the language in force', () => {
    use('en');
    expect(formatDate('2026-12-12T12:00:00Z')).toMatch(/^Dec 12, 2026$/);
    use('fr');
    expect(formatDate('2026-12-12T12:00:00Z')).toMatch(/^12 déc\. 2026$/);
  });

  it('shows its own text for the API’s error code, never the API’s English message', () => {
    use('fr');
    expect(
      errorText({ code: 'invalid_request', apiCode: 'invalid_credentials', message: 'Wrong email or password' }),
    ).toBe('E-mail ou mot de passe incorrect.');
    expect(errorText({ code: 'api_error', apiCode: 'email_taken', message: 'Email already registered' })).toBe(
      'Un compte existe déjà avec cet e-mail. Connectez-vous plutôt.',
    );
    expect(
      errorText({
        code: 'invalid_request',
        apiCode: 'invalid_request',
        field: 'password',
        message: 'password: Password must be at least 10 characters',
      }),
    ).toBe('Le mot de passe doit comporter au moins 10 caractères.');
    expect(errorText({ code: 'api_unreachable', message: 'down', url: 'http://127.0.0.1:8787' })).toContain(
      '(http://127.0.0.1:8787)',
    );
    // An API code the extension has no text for: the text for its kind.
    expect(errorText({ code: 'api_error', apiCode: 'something_new', message: 'Teapot' })).toBe(
      'Un problème est survenu dans Series. Réessayez.',
    );
    use('en');
    expect(errorText({ code: 'not_on_sale', apiCode: 'not_found', message: 'x' })).toBe(
      'This is no longer on sale: the creator was suspended or withdrew the series.',
    );
  });
});
