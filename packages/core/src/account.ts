import { z } from 'zod';
import { emailSchema, passwordSchema } from './schemas.js';

export const passwordChangeSchema = z.strictObject({
  currentPassword: z.string().min(1, 'Enter your current password').max(200),
  newPassword: passwordSchema,
});

/** Deleting an account asks for the password again: a stolen session alone cannot do it. */
export const accountDeleteSchema = z.strictObject({
  password: z.string().min(1, 'Enter your password').max(200),
});

export type PasswordChange = z.infer<typeof passwordChangeSchema>;
export type AccountDelete = z.infer<typeof accountDeleteSchema>;

/**
 * A token from a link in a mail (verify an address, reset a password). Any text up to 200 characters is taken,
 * so a mistyped, truncated or forged one gets the same answer as an expired one (`invalid_token`).
 */
export const mailTokenSchema = z.string().min(1, 'The link is incomplete').max(200, 'The link is not one of ours');

/** "Forgot password": the address the account uses. The answer never says whether it has one. */
export const passwordResetRequestSchema = z.strictObject({ email: emailSchema });

/** A new password chosen with the link of a reset mail. */
export const passwordResetSchema = z.strictObject({ token: mailTokenSchema, password: passwordSchema });

/** The link of a verification mail. */
export const emailVerificationSchema = z.strictObject({ token: mailTokenSchema });

/** Moving the account to another address: the password again, and the new address is verified before it counts. */
export const emailChangeSchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1, 'Enter your password').max(200),
});

/** The language the account's mails (and the dashboard) use. */
export const accountLocaleSchema = z.strictObject({ locale: z.enum(['en', 'fr']) });

export type PasswordResetRequest = z.infer<typeof passwordResetRequestSchema>;
export type PasswordReset = z.infer<typeof passwordResetSchema>;
export type EmailChange = z.infer<typeof emailChangeSchema>;

/** What a creator is told by mail besides what always goes (approval, suspension, first sale, payouts). */
export const notificationSettingsSchema = z.strictObject({ dailySummary: z.boolean() });
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/**
 * A seller's refund of a sale (the creator's, or an admin's): `amount` in minor units (default: all that is left),
 * and for a refund in full whether the buyer keeps access ("refund, keep access", a goodwill gesture).
 */
export const refundSchema = z.strictObject({
  amount: z.number().int('Whole minor units').positive('A refund is more than zero').max(100_000_000).optional(),
  keepAccess: z.boolean().optional(),
  reason: z.string().trim().max(500, 'At most 500 characters').optional(),
});

/** A buyer asks for a refund from the receipt page, saying why. */
export const refundRequestSchema = z.strictObject({
  reason: z.string().trim().min(1, 'Say what went wrong').max(1000, 'At most 1000 characters'),
});

/** The creator grants a buyer's request (optionally keeping their access) or declines it. */
export const refundAnswerSchema = z.strictObject({ keepAccess: z.boolean().optional() });

export type RefundOrder = z.infer<typeof refundSchema>;
export type RefundRequestInput = z.infer<typeof refundRequestSchema>;
