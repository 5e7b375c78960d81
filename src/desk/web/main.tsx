// First: zod must be jitless before any schema is built (see zod-config.ts).
import './zod-config.ts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isApiError } from './api/http.ts';
import { issuesQuery } from './api/issues.ts';
import { adoptSsoSignIn, seemsSignedIn } from './api/session.ts';
import { App } from './desk-app.tsx';
import { I18nProvider } from './i18n/i18n.tsx';
import { currentPath } from './router.tsx';

const queries = new QueryClient({
  defaultOptions: {
    // A refused request (401, 403, 404, 409, 422) will not change by asking again.
    queries: { retry: (count, err) => count < 2 && !(isApiError(err) && err.status < 500), staleTime: 5_000 },
    mutations: { retry: false },
  },
});

adoptSsoSignIn();

// Most visits open on the issues list: ask for it together with the session, not after it.
if (seemsSignedIn() && (currentPath() === '/' || currentPath() === '/issues')) {
  void queries.prefetchQuery(issuesQuery);
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queries}>
        <I18nProvider>
          <App />
        </I18nProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
