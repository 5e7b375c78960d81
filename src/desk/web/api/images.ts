import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './http.ts';

/** An image in an issue's folder: its `src` for the issue JSON and its size in pixels. */
export interface StoredImage {
  src: string;
  width: number;
  height: number;
  alt: string;
}

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
      }).then((img) => ({ ...img, alt: '' })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['issues', number, 'images'] }),
  });
}
