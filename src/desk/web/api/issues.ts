import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Issue } from '../../../issue/schema.ts';
import type {
  Check,
  ChecksAnswer,
  CreatedIssueAnswer,
  ImportedIssuesAnswer,
  IssueAnswer,
  IssueListAnswer,
  IssueState,
  SavedAnswer,
  StateAnswer,
} from '../../api/schemas.ts';
import { api } from './http.ts';

/** The workflow's states, in order (a runtime copy: the schemas module is not bundled into the app). */
export const ISSUE_STATES = [
  'draft',
  'in_review',
  'approved',
  'scheduled',
  'sent',
] as const satisfies readonly IssueState[];
/** `GET /issues/:number`, with the issue typed by the issue schema. */
export type IssueDetail = Omit<IssueAnswer, 'issue'> & { issue: Issue };
export type { Check, IssueState };

const all = ['issues'] as const;
const one = (n: number) => ['issues', n] as const;

/** The query of every issue, newest first (also prefetched at start: see main.tsx). */
export const issuesQuery = {
  queryKey: all,
  queryFn: () => api<IssueListAnswer>('/issues').then((r) => r.issues.sort((a, b) => b.number - a.number)),
};

/** Every issue, newest first. */
export function useIssues() {
  return useQuery(issuesQuery);
}

/** One issue with its state, revision and checks. */
export function useIssue(number: number) {
  return useQuery({ queryKey: one(number), queryFn: () => api<IssueDetail>(`/issues/${number}`) });
}

/** Scaffolds the next issue from issue `from` (`POST /issues {from}`). */
export function useCreateFrom() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (from: number) => api<CreatedIssueAnswer>('/issues', { method: 'POST', json: { from } }),
    onSuccess: () => client.invalidateQueries({ queryKey: all }),
  });
}

/** Starts a first issue from the clean template in the desk's language (`POST /issues {blank}`). */
export function useCreateBlank() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (number: number) =>
      api<CreatedIssueAnswer>('/issues', { method: 'POST', json: { blank: true, number } }),
    onSuccess: () => client.invalidateQueries({ queryKey: all }),
  });
}

/** Stores the issue files the server can see that the desk has not got (`POST /issues/import`). */
export function useImportIssueFiles() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<ImportedIssuesAnswer>('/issues/import', { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: all }),
  });
}

/** Saves an issue over `revision` (`PUT` with If-Match); 409 and 422 come back as ApiError. */
export function useSaveIssue(number: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { issue: Issue; revision: number }) =>
      api<SavedAnswer>(`/issues/${number}`, {
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
      api<StateAnswer>(`/issues/${number}/${step}`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: ['issues'] }),
  });
}

/** An issue's checks, fetched fresh (links are fetched by the API). */
export function useChecks(number: number) {
  return useQuery({
    queryKey: [...one(number), 'checks'],
    queryFn: () => api<ChecksAnswer>(`/issues/${number}/checks`).then((r) => r.checks),
  });
}
