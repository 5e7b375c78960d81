import { useQuery } from '@tanstack/react-query';
import type { SendReport } from '../../api/schemas.ts';
import { api } from './http.ts';

/** A send's report (`GET /sends/:id/report`, the `gazette report --json` object). */
export function useReport(id: string, enabled = true) {
  return useQuery({
    queryKey: ['sends', id, 'report'],
    enabled,
    queryFn: () => api<SendReport>(`/sends/${id}/report`),
  });
}
