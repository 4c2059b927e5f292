import type { ReactNode } from 'react';
import { useT } from '../i18n';

/** An error the user must notice; role=alert makes screen readers announce it at once. */
export function ErrorAlert({ children, onRetry }: { children: ReactNode; onRetry?: () => void }) {
  const t = useT();
  return (
    <div role="alert" className="alert alert-error">
      <div className="alert-content">{children}</div>
      {onRetry && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** A polite confirmation ("saved", "copied") that does not interrupt. */
export function StatusMessage({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="alert alert-success">
      {children}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}
