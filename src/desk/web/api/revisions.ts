import { useQuery } from '@tanstack/react-query';
import type { Issue } from '../../../issue/schema.ts';
import type { RevisionsAnswer } from '../../api/schemas.ts';
import { api } from './http.ts';

/** Every saved revision of an issue, newest first. */
export function useRevisions(number: number) {
  return useQuery({
    queryKey: ['issues', number, 'revisions'],
    queryFn: () =>
      api<RevisionsAnswer>(`/issues/${number}/revisions`).then((r) =>
        r.revisions.sort((a, b) => b.revision - a.revision),
      ),
  });
}

/** The issue JSON as saved in one revision (`GET /issues/:number/revisions/:revision`). */
export function useRevision(number: number, revision: number | null) {
  return useQuery({
    queryKey: ['issues', number, 'revisions', revision],
    enabled: revision !== null,
    queryFn: () => api<{ issue: Issue }>(`/issues/${number}/revisions/${revision}`).then((r) => r.issue),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
