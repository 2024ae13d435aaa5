import type { SessionUser } from './auth/sessions.js';

export interface Session {
  user: SessionUser;
  token: string;
  /** Cookie sessions come from browsers and need CSRF protection; bearer tokens do not. */
  via: 'bearer' | 'cookie';
}

export interface AppEnv {
  Bindings: Env;
  Variables: { session: Session | null };
}
