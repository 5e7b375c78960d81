import { useI18n } from '../i18n/i18n.tsx';
import { Link } from '../router.tsx';

/** What a person sees when their session ended (signed out elsewhere, expired, or the account changed). */
export function SessionEndedPage() {
  const { t } = useI18n();
  return (
    <main id="main" className="sign-in">
      <h1>{t('sessionEndedTitle')}</h1>
      <p>{t('sessionEndedText')}</p>
      <Link to="/" className="button primary">
        {t('signInAgain')}
      </Link>
    </main>
  );
}
