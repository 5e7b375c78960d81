import type { ReactNode } from 'react';
import { can, type User, useSignOut } from './api/session.ts';
import { useI18n } from './i18n/i18n.tsx';
import { LocaleSwitch } from './locale-switch.tsx';
import { Link, mayLeave, navigate } from './router.tsx';

/** The signed-in frame: a skip link, the navigation, who is signed in, the language and sign-out. */
export function Shell({ user, children }: { user: User; children: ReactNode }) {
  const { t } = useI18n();
  const signOut = useSignOut();
  // Signing out leaves the page: unsaved changes are asked about before, and once. The next person
  // to sign in starts on the issues list, not on the page this one left.
  const signOutHere = () => {
    if (!mayLeave()) return;
    signOut.mutate(undefined, { onSettled: () => navigate('/', { replace: true, asked: true }) });
  };
  return (
    <>
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header className="top">
        <nav aria-label={t('navigation')}>
          <Link to="/" className="brand">
            Gazette
          </Link>
          <Link to="/">{t('navIssues')}</Link>
          <Link to="/sends">{t('navSends')}</Link>
          {can(user, 'sender') && <Link to="/lists">{t('navLists')}</Link>}
          {user.roles.includes('admin') && <Link to="/subscribers">{t('navSubscribers')}</Link>}
          {user.roles.includes('admin') && <Link to="/team">{t('navTeam')}</Link>}
        </nav>
        <div className="who">
          <Link to="/account" aria-label={t('accountOf', { name: user.name || user.email })}>
            {user.name || user.email}
          </Link>
          <LocaleSwitch />
          <button type="button" onClick={signOutHere} disabled={signOut.isPending}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
