/** Who administers the platform and which browser origins may write with the session cookie: deploy settings. */

/** Origins allowed to call the API with the session cookie besides the worker's own (APP_ORIGINS). */
export function allowedOrigins(env: Env): string[] {
  return env.APP_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/** The accounts listed in ADMIN_EMAILS get the admin routes. */
export function isAdmin(env: Env, email: string | null): boolean {
  // An account without an email (made by "Continue with TikTok") is never an admin.
  if (!email) return false;
  return env.ADMIN_EMAILS.split(',').some((e) => e.trim().toLowerCase() === email);
}
