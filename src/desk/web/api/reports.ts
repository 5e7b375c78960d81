import { useQuery } from '@tanstack/react-query';
import type { SendReport } from '../../api/schemas.ts';
import { api } from './http.ts';

/**
 * A send's report (`GET /sends/:id/report`, the `gazette report --json` object), fetched again
 * every 2 s while `live` (the send still running) and once more for each change of `settled`
 * (the send's state), so that the figures of a finished send are its final ones.
 */
export function useReport(id: string, opts: { enabled: boolean; live: boolean; settled?: string }) {
  return useQuery({
    queryKey: ['sends', id, 'report', opts.settled],
    enabled: opts.enabled,
    placeholderData: (previous) => previous,
    refetchInterval: opts.live ? 2000 : false,
    queryFn: () => api<SendReport>(`/sends/${id}/report`),
  });
}
