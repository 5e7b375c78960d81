import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { onUnauthorized } from './api/http.ts';
import { forgetSignedInUser, useSession } from './api/session.ts';
import { useI18n } from './i18n/i18n.tsx';
import { ForgotPasswordPage } from './pages/forgot-password-page.tsx';
import { IssuesPage } from './pages/issues-page.tsx';
import { ResetPasswordPage } from './pages/reset-password-page.tsx';
import { SessionEndedPage } from './pages/session-ended-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { navigate, usePath } from './router.tsx';
import { Shell } from './shell.tsx';

// The issues list is where every session starts, so it comes with the app; the other signed-in pages
// load when first opened (the sign-in page needs none of them, nor zod, the editor's).
const EditorPage = lazy(() => import('./pages/editor-page.tsx').then((m) => ({ default: m.EditorPage })));
const EditionPage = lazy(() => import('./pages/edition-page.tsx').then((m) => ({ default: m.EditionPage })));
const HistoryPage = lazy(() => import('./pages/history-page.tsx').then((m) => ({ default: m.HistoryPage })));
const ReportPage = lazy(() => import('./pages/report-page.tsx').then((m) => ({ default: m.ReportPage })));
const ListsPage = lazy(() => import('./pages/lists-page.tsx').then((m) => ({ default: m.ListsPage })));
const SendPage = lazy(() => import('./pages/send-page.tsx').then((m) => ({ default: m.SendPage })));
const SendsPage = lazy(() => import('./pages/sends-page.tsx').then((m) => ({ default: m.SendsPage })));
const AccountPage = lazy(() => import('./pages/account-page.tsx').then((m) => ({ default: m.AccountPage })));
const TeamPage = lazy(() => import('./pages/team-page.tsx').then((m) => ({ default: m.TeamPage })));
const SubscribersPage = lazy(() =>
  import('./pages/subscribers-page.tsx').then((m) => ({ default: m.SubscribersPage })),
);

/** Which page a desk path shows; null when the path names none. */
function route(path: string) {
  const issue = path.match(/^\/issues\/(\d+)(\/history|\/send)?$/);
  if (issue) {
    const n = Number(issue[1]);
    if (issue[2] === '/history') return <HistoryPage number={n} />;
    if (issue[2] === '/send') return <SendPage number={n} />;
    return <EditorPage number={n} />;
  }
  const edition = path.match(/^\/issues\/(\d+)\/editions\/([a-z]{2})$/);
  if (edition?.[2]) return <EditionPage number={Number(edition[1])} locale={edition[2]} />;
  const send = path.match(/^\/sends\/([\w-]+)$/);
  if (send?.[1]) return <ReportPage id={send[1]} />;
  if (path === '/' || path === '/issues') return <IssuesPage />;
  if (path === '/sends') return <SendsPage />;
  if (path === '/lists') return <ListsPage />;
  if (path === '/subscribers') return <SubscribersPage />;
  if (path === '/account') return <AccountPage />;
  if (path === '/team') return <TeamPage />;
  return null;
}

/**
 * The pages open to anyone, signed in or not: a forgotten password, and a mailed link's page. Small,
 * and reached before sign-in as the sign-in page is, they come with the app as it does.
 */
function openPage(path: string) {
  if (path === '/forgot-password') return <ForgotPasswordPage />;
  const reset = path.match(/^\/reset\/([\w-]{1,64})$/);
  if (reset?.[1]) return <ResetPasswordPage token={reset[1]} />;
  return null;
}

/** The desk: the sign-in page until someone signs in, then the page the path names. */
export function App() {
  const path = usePath();
  const session = useSession();
  const client = useQueryClient();
  const { t } = useI18n();

  useEffect(
    () =>
      onUnauthorized(() => {
        const signedIn = Boolean(client.getQueryData(['session']));
        forgetSignedInUser(client);
        if (signedIn) navigate('/session-ended', { replace: true });
      }),
    [client],
  );

  if (path === '/session-ended') return <SessionEndedPage />;
  const open = openPage(path);
  if (open) return open;
  if (session.isPending) return <p className="loading">{t('loading')}</p>;
  if (!session.data) return <SignInPage />;
  const page = route(path);
  return (
    <Shell user={session.data}>
      <Suspense fallback={<p className="loading">{t('loading')}</p>}>
        {page ?? <p role="alert">{t('notFound')}</p>}
      </Suspense>
    </Shell>
  );
}
