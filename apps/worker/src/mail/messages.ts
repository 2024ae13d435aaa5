import type { Translator } from '@series/core';
import { composeMail } from './compose.js';

/** Single-use links in mails, and how long they work. */
export const VERIFY_LINK_TTL_MS = 24 * 60 * 60 * 1000;
export const RESET_LINK_TTL_MS = 30 * 60 * 1000;

/** The pages the links open (served by the storefront, on our own origin). */
export const verifyLink = (origin: string, token: string) => `${origin}/verify-email?token=${token}`;
export const resetLink = (origin: string, token: string) => `${origin}/reset-password?token=${token}`;
/** A gift's single-use claim link (it lasts until claimed, refunded or replaced by a re-sent mail). */
export const giftLink = (origin: string, token: string) => `${origin}/gift?token=${token}`;

/** After sign-up: confirm the address. */
export const verifyEmailMail = (t: Translator, origin: string, to: string, token: string) =>
  composeMail(t, origin, to, 'verify_email', {
    subject: t.t('mail.verify.subject'),
    paragraphs: [t.t('mail.verify.body', { email: to })],
    action: { label: t.t('mail.verify.action'), url: verifyLink(origin, token) },
    after: [t.t('mail.verify.expiry')],
  });

/** To the new address of a change: the change is made when this link is opened. */
export const changeEmailMail = (t: Translator, origin: string, to: string, token: string) =>
  composeMail(t, origin, to, 'change_email', {
    subject: t.t('mail.changeEmail.subject'),
    paragraphs: [t.t('mail.changeEmail.body', { email: to })],
    action: { label: t.t('mail.verify.action'), url: verifyLink(origin, token) },
    after: [t.t('mail.changeEmail.expiry')],
  });

/** To the old address, once the account moved to `newEmail`. */
export const emailChangedMail = (t: Translator, origin: string, to: string, newEmail: string) =>
  composeMail(t, origin, to, 'email_changed', {
    subject: t.t('mail.emailChanged.subject'),
    paragraphs: [t.t('mail.emailChanged.body', { email: newEmail }), t.t('mail.emailChanged.notYou')],
  });

/** "Forgot password": the link that sets a new one. */
export const resetPasswordMail = (t: Translator, origin: string, to: string, token: string) =>
  composeMail(t, origin, to, 'reset_password', {
    subject: t.t('mail.reset.subject'),
    paragraphs: [t.t('mail.reset.body', { email: to })],
    action: { label: t.t('mail.reset.action'), url: resetLink(origin, token) },
    after: [t.t('mail.reset.expiry')],
  });
