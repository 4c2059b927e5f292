import { useState, type ReactNode } from 'react';
import { useAction } from '../hooks';
import { ConfirmDialog } from './ConfirmDialog';
import { ErrorAlert } from './Messages';

type Props = {
  /** The button that opens the confirmation. */
  label: string;
  /** Accessible name of that button when the visible label alone is ambiguous (one per table row). */
  ariaLabel?: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  dismissLabel?: string;
  /** The server call; a refusal's message is shown in the dialog, which stays open. */
  action: () => Promise<unknown>;
  onDone: () => void;
};

/** A destructive action behind a confirmation dialog: a button, the dialog, the call and its refusal. */
export function ConfirmedAction({
  label,
  ariaLabel,
  title,
  children,
  confirmLabel,
  dismissLabel,
  action,
  onDone,
}: Props) {
  const [open, setOpen] = useState(false);
  const { busy, error, run, reset } = useAction();

  async function confirm() {
    if (await run(action)) {
      setOpen(false);
      onDone();
    }
  }

  return (
    <>
      <button type="button" className="button-secondary" onClick={() => setOpen(true)} aria-label={ariaLabel}>
        {label}
      </button>
      <ConfirmDialog
        open={open}
        title={title}
        confirmLabel={confirmLabel}
        dismissLabel={dismissLabel}
        danger
        busy={busy}
        onConfirm={confirm}
        onCancel={() => {
          setOpen(false);
          reset();
        }}
      >
        {children}
        {error && <ErrorAlert>{error}</ErrorAlert>}
      </ConfirmDialog>
    </>
  );
}
