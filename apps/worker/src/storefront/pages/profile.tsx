import type { Translator } from '@series/core';
import type { GiftListRow } from '../../ledger/gift-queries.js';
import { Layout } from '../layout.js';
import { GiftList } from './gift.js';

/**
 * The storefront's short account page (`/account`): the address and whether it is confirmed, the password (by
 * its "forgot" link, which works signed in too), what we hold (the export), signing out everywhere, and the
 * dashboard's account page for the rest (devices one by one, a change of address, deletion).
 */
export function ProfilePage(props: {
  t: Translator;
  account: { email: string | null; verified: boolean } | null;
  notice?: string;
  /** The gifts this account gave (to whom, what, whether claimed), with Send again and Refund. */
  gifts?: GiftListRow[];
}) {
  const { t, account } = props;
  return (
    <Layout
      t={t}
      path="/account"
      meta={{ title: t.t('profile.title'), description: t.t('profile.title'), url: '/account', noindex: true }}
      data={{ page: 'account' }}
    >
      <h1>{t.t('profile.heading')}</h1>
      {!account ? (
        <p class="actions">
          <button type="button" class="btn" data-action="signin">
            {t.t('client.signIn')}
          </button>
        </p>
      ) : (
        <>
          {props.notice && (
            <p class="banner" role="status" id="profile-notice">
              {props.notice}
            </p>
          )}
          <table class="table">
            <tbody>
              <tr>
                <th scope="row">{t.t('auth.email')}</th>
                <td>
                  {account.email ?? '—'}{' '}
                  <span data-verified={String(account.verified)}>
                    {account.email
                      ? account.verified
                        ? t.t('profile.verified')
                        : t.t('profile.unverified')
                      : t.t('profile.noEmail')}
                  </span>
                </td>
              </tr>
            </tbody>
          </table>
          <ul>
            <li>
              <a href="/library">{t.t('site.library')}</a>
            </li>
            <li>
              <a href="/forgot-password">{t.t('profile.password')}</a>
            </li>
            <li>
              <a href="/v1/me/export" download="series-data-export.json">
                {t.t('profile.export')}
              </a>
            </li>
            <li>
              <a href="/dashboard/account">{t.t('profile.more')}</a>
            </li>
          </ul>
          <div id="sf-status" class="status" role="status" aria-live="polite" hidden />
          <GiftList t={t} rows={props.gifts ?? []} />
          <form method="post" action="/account/sign-out-everywhere">
            <button type="submit" class="btn secondary">
              {t.t('profile.signOutEverywhere')}
            </button>
          </form>
        </>
      )}
    </Layout>
  );
}
