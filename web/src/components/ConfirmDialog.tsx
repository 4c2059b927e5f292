import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useT } from '../i18n';

type Props = {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The button that closes without acting; default 「キャンセル」 — name it otherwise when the action itself is a cancellation. */
  dismissLabel?: string;
  danger?: boolean;
  confirmDisabled?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

/**
 * A modal built on the native <dialog>: the browser traps focus, makes the rest inert, closes on
 * Escape and returns focus to the opener, which hand-made modals routinely get wrong.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  dismissLabel,
  danger,
  confirmDisabled,
  busy,
  onConfirm,
  onCancel,
}: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const t = useT();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className="dialog"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <div className="dialog-body">{children}</div>
        <div className="button-row">
          <button type="button" className="button-secondary" onClick={onCancel}>
            {dismissLabel ?? t('common.cancel')}
          </button>
          <button type="submit" className={danger ? 'button-danger' : undefined} disabled={confirmDisabled || busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
