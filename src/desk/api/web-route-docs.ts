import { draftPreviewRoute, previewPageRoute } from './issues/draft-preview.ts';
import { imageListRoute, imageUploadRoute } from './issues/image-routes.ts';
import { subscriberExportRoute } from './subscribers/subscriber-export-route.ts';

/**
 * The documentation of the desk API's plain Hono routes (mountDeskWebRoutes), for the OpenAPI
 * registry. Each route's handler sits beside its entry, takes its path from it and parses with its
 * schemas; the route × role test checks that every documented path answers.
 */
export const webRouteDocs = [
  draftPreviewRoute,
  previewPageRoute,
  imageListRoute,
  imageUploadRoute,
  subscriberExportRoute,
];
