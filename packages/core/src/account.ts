import { z } from 'zod';
import { passwordSchema } from './schemas.js';

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
