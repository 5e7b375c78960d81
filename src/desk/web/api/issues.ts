import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Issue } from '../../../issue/schema.ts';
import { api } from './http.ts';

/** An issue's place in the workflow. */
export type IssueState = 'draft' | 'in_review' | 'approved' | 'scheduled' | 'sent';
/** The workflow's states, in order. */
export const ISSUE_STATES: IssueState[] = ['draft', 'in_review', 'approved', 'scheduled', 'sent'];
/** One row of `GET /issues`. */
export interface IssueSummary {
  number: number;
  subject: string;
  month: string;
  state: IssueState;
  revision: number;
  updatedAt: string;
  updatedBy: string;
}
/** One pre-send check (`GET /issues/:number/checks`). */
export interface Check {
  id: string;
  level: 'error' | 'warning';
  message: string;
  path?: string;
}
/** `GET /issues/:number`. */
export interface IssueDetail {
  issue: Issue;
  state: IssueState;
  revision: number;
  checks: Check[];
}
/** A field error as `gazette validate` words it (422 `errors`). */
export interface FieldError {
  path: string;
  message: string;
}

const all = ['issues'] as const;
const one = (n: number) => ['issues', n] as const;

/** Every issue, newest first. */
export function useIssues() {
  return useQuery({
    queryKey: all,
    queryFn: () =>
      api<{ issues: IssueSummary[] }>('/issues').then((r) => r.issues.sort((a, b) => b.number - a.number)),
  });
}

/** One issue with its state, revision and checks. */
export function useIssue(number: number) {
  return useQuery({ queryKey: one(number), queryFn: () => api<IssueDetail>(`/issues/${number}`) });
}

/** Scaffolds the next issue from issue `from` (`POST /issues {from}`). */
export function useCreateFrom() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (from: number) =>
      api<{ number: number; revision: number }>('/issues', { method: 'POST', json: { from } }),
    onSuccess: () => client.invalidateQueries({ queryKey: all }),
  });
}

/** Saves an issue over `revision` (`PUT` with If-Match); 409 and 422 come back as ApiError. */
export function useSaveIssue(number: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { issue: Issue; revision: number }) =>
      api<{ revision: number }>(`/issues/${number}`, {
        method: 'PUT',
        json: v.issue,
        headers: { 'If-Match': String(v.revision) },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['issues'] }),
  });
}

/** Moves an issue on in the workflow: `review` (writer) or `approve` (editor). */
export function useTransition(number: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (step: 'review' | 'approve') =>
      api<{ state: IssueState }>(`/issues/${number}/${step}`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: ['issues'] }),
  });
}

/** An issue's checks, fetched fresh (links are fetched by the API). */
export function useChecks(number: number) {
  return useQuery({
    queryKey: [...one(number), 'checks'],
    queryFn: () => api<{ checks: Check[] }>(`/issues/${number}/checks`).then((r) => r.checks),
  });
}
