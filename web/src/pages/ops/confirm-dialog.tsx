import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { ProblemError } from '../../api/problem.ts';
import { ErrorNotice } from '../../ui/status.tsx';

/**
 * A modal confirmation for an operator action (native `<dialog>`: focus kept inside, Escape
 * cancels, focus goes back where it was): what will happen, an optional reason for the ticket's
 * timeline, and the problem next to the buttons when the desk refuses.
 */
export const ConfirmDialog = ({
  title,
  confirmLabel,
  busyLabel,
  reason: askReason = false,
  busy,
  error,
  alternative,
  onConfirm,
  onCancel,
  children,
}: {
  title: string;
  confirmLabel: string;
  busyLabel: string;
  /** Offer a reason field (one ticket's actions; a bulk action is audited as its job). */
  reason?: boolean;
  busy: boolean;
  error?: ProblemError;
  /** Another way on, offered with the problem (redrive refused → restart). */
  alternative?: { label: string; onClick(): void };
  onConfirm(reason?: string): void;
  onCancel(): void;
  children: ComponentChildren;
}) => {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [reason, setReason] = useState('');
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  const reasonError = error?.fieldMessage('reason');
  return (
    <dialog
      ref={dialog}
      class="confirm-dialog"
      aria-labelledby={`${id}-title`}
      onClose={onCancel}
      onCancel={(event) => {
        if (busy) event.preventDefault();
      }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!busy) onConfirm(reason.trim() || undefined);
        }}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        {askReason && (
          <>
            <label for={`${id}-reason`}>Reason (optional, shown on the ticket's timeline)</label>
            <textarea
              id={`${id}-reason`}
              class="confirm-reason"
              value={reason}
              maxLength={1000}
              aria-invalid={reasonError ? 'true' : undefined}
              aria-describedby={reasonError ? `${id}-reason-error` : undefined}
              onInput={(event) => setReason(event.currentTarget.value)}
            />
            {reasonError && (
              <p id={`${id}-reason-error`} class="field-error">
                {reasonError}
              </p>
            )}
          </>
        )}
        {error && !reasonError && <ErrorNotice error={error} />}
        <div class="actions confirm-actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? busyLabel : confirmLabel}
          </button>
          {alternative && error && (
            <button type="button" onClick={alternative.onClick} disabled={busy}>
              {alternative.label}
            </button>
          )}
          <button type="button" onClick={() => dialog.current?.close()} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
};
