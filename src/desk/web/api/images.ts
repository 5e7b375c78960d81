import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { StoredImage } from '../../api/schemas.ts';
import { api } from './http.ts';

export type { StoredImage };

/** The images already in issue `number`'s folder (`GET /issues/:number/images`). */
export function useImages(number: number) {
  return useQuery({
    queryKey: ['issues', number, 'images'],
    queryFn: () => api<{ images: StoredImage[] }>(`/issues/${number}/images`).then((r) => r.images),
  });
}

/** Uploads one image (`POST /issues/:number/images`, the file as the body); the server resizes it. */
export function useUploadImage(number: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      api<StoredImage>(`/issues/${number}/images?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'Content-Type': file.type },
        body: file,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['issues', number, 'images'] }),
  });
}
