import type { SessionUser } from './auth/sessions.js';
import type { CreatorRow } from './creators/queries.js';

export interface Session {
  user: SessionUser;
  /** The user's creator profile as of this request, if they claimed a handle. */
  creator: CreatorRow | null;
  token: string;
  /** Cookie sessions come from browsers and need CSRF protection; bearer tokens do not. */
  via: 'bearer' | 'cookie';
}

export interface AppEnv {
  Bindings: Env;
  Variables: { session: Session | null };
}
