/**
 * The signed-in session as kept in the browser (localStorage), so that a reload or another tab of the
 * console stays signed in. The API has no cookie-based session, so the tokens live here; the console
 * sets a Content-Security-Policy that allows only its own scripts.
 */

export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  email: string | null;
}

export const SESSION_KEY = 'gcp.console.session';

function storage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null; // storage disabled by the browser
  }
}

export function readSession(): StoredSession | null {
  const raw = storage()?.getItem(SESSION_KEY);
  if (!raw) {
    return null;
  }
  try {
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof parsed.accessToken === 'string' && typeof parsed.refreshToken === 'string') {
      return { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken, email: parsed.email ?? null };
    }
  } catch {
    // a damaged entry is treated as no session
  }
  return null;
}

export function writeSession(session: StoredSession | null): void {
  const s = storage();
  if (!s) {
    return;
  }
  if (session) {
    s.setItem(SESSION_KEY, JSON.stringify(session));
  } else {
    s.removeItem(SESSION_KEY);
  }
}
