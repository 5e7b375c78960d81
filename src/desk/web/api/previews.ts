import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Issue } from '../../../issue/schema.ts';
import type { DraftPreview } from '../../api/schemas.ts';
import { api } from './http.ts';

/** `value`, once it has not changed for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The preview of the draft as it is now: compiled 150 ms after the last keystroke. A newer draft
 * cancels the request for an older one (TanStack Query aborts it), so the last edit always wins.
 */
export function useDraftPreview(number: number, draft: Issue, valid: boolean) {
  const settled = useSettled(draft, 150);
  return useQuery({
    queryKey: ['issues', number, 'preview', settled],
    enabled: valid && settled !== undefined,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      api<DraftPreview>(`/issues/${number}/preview`, { method: 'POST', json: { issue: settled }, signal }),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 30_000,
  });
}
