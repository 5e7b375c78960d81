import { useEffect } from 'react';
import { setNavigationGuard } from '../router.tsx';

/** While `dirty`, asks before the tab closes or the app navigates away and loses the changes. */
export function useConfirmUnload(dirty: boolean, question: string): void {
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    setNavigationGuard(() => window.confirm(question));
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      setNavigationGuard(null);
    };
  }, [dirty, question]);
}
