import { useEffect, useRef } from 'preact/hooks';
import { Dialog } from './ticket-dialog.tsx';

/**
 * The ticket page's keyboard shortcuts: single keys (`r`) and two-key sequences (`g q`), ignored
 * while typing in a field, with a modifier held, or while a dialog is open. A local stand-in with
 * the shape of the console's shared `useShortcuts`, until that lands.
 */
export type Shortcuts = Record<string, { description: string; run(): void }>;

const SEQUENCE_MS = 1_500;

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export const useShortcuts = (map: Shortcuts): void => {
  const current = useRef(map);
  current.current = map;
  useEffect(() => {
    let pending: { key: string; at: number } | undefined;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      const shortcuts = current.current;
      const sequence =
        pending && event.timeStamp - pending.at < SEQUENCE_MS ? `${pending.key} ${event.key}` : undefined;
      pending = undefined;
      const found = (sequence && shortcuts[sequence]) || shortcuts[event.key];
      if (found) {
        event.preventDefault();
        found.run();
        return;
      }
      if (Object.keys(shortcuts).some((keys) => keys.startsWith(`${event.key} `))) {
        pending = { key: event.key, at: event.timeStamp };
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
};

/** The list of shortcuts (`?`). */
export const ShortcutHelp = ({
  shortcuts,
  open,
  onClose,
}: {
  shortcuts: Shortcuts;
  open: boolean;
  onClose: () => void;
}) => (
  <Dialog title="Keyboard shortcuts" open={open} onClose={onClose}>
    <dl class="shortcut-list">
      {Object.entries(shortcuts).map(([keys, { description }]) => (
        <div key={keys}>
          <dt>
            {keys.split(' ').map((key, index) => (
              <span key={key}>
                {index > 0 && ' then '}
                <kbd>{key}</kbd>
              </span>
            ))}
          </dt>
          <dd>{description}</dd>
        </div>
      ))}
    </dl>
  </Dialog>
);
