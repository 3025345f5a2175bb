import { useCallback, useMemo, useState } from 'react';

export const PAGE_SIZES = [10, 25, 50, 100] as const;

/**
 * Keyset ("page_token") pagination state: the API gives only the token of the next page, so the
 * tokens of the pages already seen are kept to go back.
 */
export interface CursorPager {
  limit: number;
  /** 0-based index of the page shown. */
  pageIndex: number;
  /** The page_token of the page shown (undefined for the first). */
  pageToken: string | undefined;
  hasPrevious: boolean;
  next: (nextPageToken: string) => void;
  previous: () => void;
  setLimit: (limit: number) => void;
  reset: () => void;
}

export function useCursorPager(initialLimit = 25): CursorPager {
  const [limit, setLimitState] = useState(initialLimit);
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);

  const next = useCallback((token: string) => setTokens((t) => [...t, token]), []);
  const previous = useCallback(() => setTokens((t) => (t.length > 1 ? t.slice(0, -1) : t)), []);
  const reset = useCallback(() => setTokens([undefined]), []);
  const setLimit = useCallback((value: number) => {
    setLimitState(value);
    setTokens([undefined]);
  }, []);

  return useMemo(
    () => ({
      limit,
      pageIndex: tokens.length - 1,
      pageToken: tokens[tokens.length - 1],
      hasPrevious: tokens.length > 1,
      next,
      previous,
      setLimit,
      reset,
    }),
    [limit, tokens, next, previous, setLimit, reset],
  );
}
