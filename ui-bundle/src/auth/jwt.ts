import type { Role } from '../api/types';

/** The claims of the platform's access token that the console uses. Not verified here: the API does that. */
export interface AccessClaims {
  /** The user id. */
  sub: string;
  role: Role;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads the payload of a JWT; null when the token is not one. */
export function decodeAccessToken(token: string | null | undefined): AccessClaims | null {
  if (!token) {
    return null;
  }
  const parts = token.split('.');
  if (parts.length !== 3) {
    return null;
  }
  try {
    const payload = JSON.parse(base64UrlDecode(parts[1])) as Partial<AccessClaims>;
    if (typeof payload.sub !== 'string') {
      return null;
    }
    return {
      sub: payload.sub,
      role: payload.role === 'admin' ? 'admin' : 'user',
      exp: typeof payload.exp === 'number' ? payload.exp : 0,
    };
  } catch {
    return null;
  }
}
