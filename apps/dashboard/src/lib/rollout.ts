import { CLAIM_EXPIRY_DAYS, type CreatorStatus } from '@series/core';

/** How the dashboard names each rollout status and what it means for the creator right now. */
export const ROLLOUT: Record<CreatorStatus, { label: string; tone: string; explanation: string }> = {
  pending: {
    label: 'Pending approval',
    tone: 'warning',
    explanation:
      'We are opening Series to creators gradually, and an admin reviews each one. Meanwhile you can create ' +
      'series, add episodes and upload videos; publishing and selling unlock as soon as you are approved. A ' +
      `claim not approved within ${CLAIM_EXPIRY_DAYS} days expires and frees the handle; you can then claim it again.`,
  },
  approved: {
    label: 'Approved',
    tone: 'success',
    explanation:
      'You can publish series and sell episodes. Viewers unlock them from your videos, and you receive the ' +
      'whole price minus the platform commission.',
  },
  suspended: {
    label: 'Suspended',
    tone: 'danger',
    explanation:
      'Your series are hidden and nobody can buy from them. Viewers keep what they already bought, and your ' +
      'earnings so far are still paid out. Contact support if you think this is a mistake.',
  },
  rejected: {
    label: 'Rejected',
    tone: 'danger',
    explanation:
      'An admin turned this claim down, and the handle is free for its owner. Your drafts are kept: claim your own ' +
      'handle below to go on with them. Contact support if you think this is a mistake.',
  },
  expired: {
    label: 'Expired',
    tone: 'warning',
    explanation:
      `No admin approved this claim within ${CLAIM_EXPIRY_DAYS} days, so it expired and the handle was freed. Your ` +
      'drafts are kept: claim the handle again below to rejoin the queue.',
  },
  displaced: {
    label: 'Handle taken by its owner',
    tone: 'danger',
    explanation:
      'The owner of this handle proved it is theirs by connecting their TikTok account, so your unverified claim ' +
      'ended. Your drafts are kept: connect your own TikTok account to claim your handle.',
  },
};

/** Why the storefront answers "not found" for every page of the creator, or null when it shows them. */
export function storefrontNotice(status: CreatorStatus): string | null {
  if (status === 'pending')
    return 'Your storefront opens once an admin approves your account: until then these links show “not found”.';
  if (status === 'suspended')
    return 'Your storefront is hidden while your account is suspended: these links show “not found”.';
  return null;
}
