import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { trapTab } from '../../ui/keyboard.ts';

/**
 * A small modal dialog on the native `<dialog>`: the rest of the page is inert while it is open,
 * Tab wraps around inside it, Escape closes it, and focus goes back to what opened it.
 */
export const Dialog = ({
  title,
  open,
  onClose,
  children,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ComponentChildren;
}) => {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      // The first field, rather than the Close button the browser would pick.
      dialog.querySelector<HTMLElement>('.dialog-body :is(input, textarea, select, button)')?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (ref.current) trapTab(event, ref.current);
  };

  return (
    <dialog
      ref={ref}
      class="ticket-dialog"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onClose={() => {
        onClose();
        // Back to what opened it; when an action took that away (an Escalate button after the
        // escalation), to the page.
        const back = opener.current?.isConnected ? opener.current : document.getElementById('main');
        back?.focus();
      }}
    >
      {open && (
        <>
          <div class="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" class="link" onClick={() => ref.current?.close()}>
              Close<span class="visually-hidden"> {title}</span>
            </button>
          </div>
          <div class="dialog-body">{children}</div>
        </>
      )}
    </dialog>
  );
};
