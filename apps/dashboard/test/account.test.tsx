// The account's own pages and banner in the dashboard (issue 18): the texts come from GET /v1/texts/dashboard in
// the dashboard's language, and API refusals are said from their codes.
import { fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/app.js';
import { apiError, mockApi } from './support/mock-api.js';

const me = (emailVerified: boolean) => ({
  user: {
    id: 'usr_1',
    email: 'night@example.test',
    createdAt: '2026-01-01T00:00:00.000Z',
    isAdmin: false,
    emailVerified,
  },
  creator: null,
});
const texts = (locale: 'en' | 'fr', messages: Record<string, string>) => ({ status: 200, body: { locale, messages } });
const open = (path: string) => {
  history.replaceState(null, '', `/dashboard${path}`);
  return render(<App />);
};

afterEach(() => localStorage.clear());

describe('the verification banner', () => {
  it('asks an unverified account to confirm its address, in the dashboard’s language, and sends the link again', async () => {
    localStorage.setItem('series.dashboard.locale', 'fr');
    const calls = mockApi({
      'GET /v1/me': { status: 200, body: me(false) },
      'GET /v1/texts/dashboard': texts('fr', {
        'dashboard.verify.banner': 'Confirmez votre adresse e-mail\u202f: nous avons envoyé un lien à {email}.',
        'dashboard.verify.resend': 'Le renvoyer',
        'dashboard.verify.sent': 'Un nouveau lien est en route vers {email}.',
      }),
      'POST /v1/me/email/verification': { status: 202, body: { sent: true, email: 'night@example.test' } },
    });
    open('/');
    expect(
      await screen.findByText(
        // The matcher folds the narrow no-break space into a space, as it does any white space.
        /Confirmez votre adresse e-mail : nous avons envoyé un lien à night@example\.test\./,
      ),
    ).toBeTruthy();
    expect(calls.find((c) => c.path === '/v1/texts/dashboard')!.query.get('lang')).toBe('fr');
    fireEvent.click(screen.getByRole('button', { name: 'Le renvoyer' }));
    expect(await screen.findByText('Un nouveau lien est en route vers night@example.test.')).toBeTruthy();
  });

  it('is not there for a verified address, which loads no texts for it', async () => {
    const calls = mockApi({ 'GET /v1/me': { status: 200, body: me(true) } });
    open('/');
    await screen.findByRole('link', { name: 'Account' });
    expect(screen.queryByText(/Confirm your email address/)).toBeNull();
    expect(calls.some((c) => c.path === '/v1/texts/dashboard')).toBe(false);
  });
});

describe('the account page', () => {
  it('says a wrong password in words from the API’s code, and a change of address waits for the new link', async () => {
    const calls = mockApi({
      'GET /v1/me': { status: 200, body: me(true) },
      'GET /v1/me/sessions': { status: 200, body: { sessions: [] } },
      'GET /v1/texts/dashboard': texts('en', {
        'dashboard.account.title': 'Account',
        'dashboard.account.change.new': 'New email address',
        'dashboard.account.change.password': 'Your password',
        'dashboard.account.change.submit': 'Send a link to the new address',
        'dashboard.account.change.pending':
          'Open the link we sent to {email} to make the change. Until then the account keeps {current}.',
        'dashboard.error.invalid_credentials': 'That password is not right.',
      }),
      'PUT /v1/me/email': (call) =>
        (call.body as { password: string }).password === 'right password!'
          ? { status: 202, body: { pending: 'new@example.test' } }
          : { status: 403, body: apiError('invalid_credentials', 'The password is wrong') },
    });
    open('/account');
    await screen.findByRole('heading', { name: 'Account', level: 1 });
    fireEvent.input(screen.getByLabelText('New email address'), { target: { value: 'new@example.test' } });
    fireEvent.input(screen.getByLabelText('Your password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send a link to the new address' }));
    expect(await screen.findByText('That password is not right.')).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Your password'), { target: { value: 'right password!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send a link to the new address' }));
    expect(
      await screen.findByText(
        'Open the link we sent to new@example.test to make the change. Until then the account keeps night@example.test.',
      ),
    ).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT').map((c) => c.body)).toEqual([
      { email: 'new@example.test', password: 'wrong' },
      { email: 'new@example.test', password: 'right password!' },
    ]);
  });
});
