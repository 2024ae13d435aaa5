import { CLAIM_EXPIRY_DAYS, type CreatorStatus } from '@series/core';
import type { DashboardT } from './i18n.js';

/** The badge tone of each rollout status. */
export const ROLLOUT_TONE: Record<CreatorStatus, string> = {
  pending: 'warning',
  approved: 'success',
  suspended: 'danger',
  rejected: 'danger',
  expired: 'warning',
  displaced: 'danger',
};

/** How the dashboard names a rollout status and what it means for the creator right now, in its language. */
export function rolloutText(
  t: DashboardT,
  status: CreatorStatus,
): { label: string; tone: string; explanation: string } {
  return {
    label: t.t(`dashboard.rollout.${status}.label`),
    tone: ROLLOUT_TONE[status],
    explanation: t.t(`dashboard.rollout.${status}.explanation`, { days: CLAIM_EXPIRY_DAYS }),
  };
}

/** Why the storefront answers "not found" for every page of the creator, or null when it shows them. */
export function storefrontNotice(t: DashboardT, status: CreatorStatus): string | null {
  if (status === 'pending') return t.t('dashboard.rollout.storefrontPending');
  if (status === 'suspended') return t.t('dashboard.rollout.storefrontSuspended');
  return null;
}
