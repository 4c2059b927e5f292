import { createContext, useContext, useEffect, useRef } from 'react';
import { useT } from '../i18n';

/** The site named in the browser tab; the public pages are not "Kankei" to the people using them. */
export const SiteNameContext = createContext<string | null>(null);

/**
 * The page's h1. After a navigation, focus moves here so screen-reader users hear where they
 * landed; it does not steal focus from a control on the page (e.g. the login form's email field).
 */
export function PageTitle({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const t = useT();
  const site = useContext(SiteNameContext) ?? t('app.name');

  useEffect(() => {
    document.title = `${children} | ${site}`;
  }, [children, site]);

  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('header')) ref.current?.focus();
  }, []);

  return (
    <h1 ref={ref} tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}
