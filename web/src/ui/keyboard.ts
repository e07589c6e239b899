import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * Keyboard shortcuts for the desk's pages: a page names its keys with `useShortcuts`, and
 * `ShortcutHelp` (rendered once on the page) lists every key in force when `?` is pressed, in a
 * modal dialog. Keys are ignored while someone types in a field, with a modifier held, and (Enter,
 * Space) on a focused link or button, which do their own thing. The last page to register a key
 * wins, so a dialog or panel may add its own keys over the page's.
 */

export interface Shortcut {
  description: string;
  run(): void;
}

/**
 * Keys as `KeyboardEvent.key` names them: `j`, `Enter`, `/`, `1`; two keys pressed one after the
 * other are named with a space between (`g q`).
 */
export type ShortcutMap = Record<string, Shortcut>;

const active: { map: ShortcutMap }[] = [];
const helpListeners = new Set<(open: boolean) => void>();
let helpOpen = false;

const setHelpOpen = (open: boolean): void => {
  // Without a ShortcutHelp on the page there is nothing to show (and nothing would close it again).
  if (open && helpListeners.size === 0) return;
  helpOpen = open;
  for (const listener of helpListeners) listener(open);
};

/** Opens the shortcut list (for a visible "Keyboard shortcuts" button: not everyone knows `?`). */
export const openShortcutHelp = (): void => setHelpOpen(true);

const TEXT_INPUT_TYPES = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
  'file',
]);

/** Someone is typing: a text field, a text area, a select (letters pick options), an editable region. */
const isTyping = (target: EventTarget | null): boolean => {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !TEXT_INPUT_TYPES.has(target.type);
};

const activatesItself = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && target.closest('a[href], button, summary, [role="button"]') !== null;

/** How long the second key of a sequence (the `q` of `g q`) may follow the first. */
const SEQUENCE_MS = 1_500;
let pending: { key: string; at: number } | undefined;

const shortcutFor = (key: string): Shortcut | undefined => {
  for (let index = active.length - 1; index >= 0; index--) {
    const shortcut = active[index]?.map[key];
    if (shortcut) return shortcut;
  }
  return undefined;
};

const startsSequence = (key: string): boolean =>
  active.some(({ map }) => Object.keys(map).some((keys) => keys.startsWith(`${key} `)));

const onKeyDown = (event: KeyboardEvent): void => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  // An open dialog (this list, or a page's own) owns the keyboard (Tab, Escape); the page's keys
  // wait until it closes.
  if (helpOpen || document.querySelector('dialog[open]') || isTyping(event.target)) return;
  if (event.key === '?') {
    event.preventDefault();
    setHelpOpen(true);
    return;
  }
  if ((event.key === 'Enter' || event.key === ' ') && activatesItself(event.target)) return;
  const first = pending && event.timeStamp - pending.at < SEQUENCE_MS ? pending.key : undefined;
  pending = undefined;
  const shortcut = (first && shortcutFor(`${first} ${event.key}`)) || shortcutFor(event.key);
  if (shortcut) {
    event.preventDefault();
    shortcut.run();
    return;
  }
  if (startsSequence(event.key)) pending = { key: event.key, at: event.timeStamp };
};

/**
 * The page's shortcuts while it is mounted. The map may change on every render (its `run`s close
 * over the page's state); the latest one is used.
 */
export const useShortcuts = (map: ShortcutMap): void => {
  const entry = useRef({ map });
  entry.current.map = map;
  useEffect(() => {
    const registered = entry.current;
    active.push(registered);
    if (active.length === 1) document.addEventListener('keydown', onKeyDown);
    return () => {
      active.splice(active.indexOf(registered), 1);
      if (active.length === 0) document.removeEventListener('keydown', onKeyDown);
    };
  }, []);
};

const KEY_NAMES: Record<string, string> = { ' ': 'Space', ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc' };

/** The keys in force, those that do the same thing on one line (`Enter` / `o`). */
const listed = (): { keys: string[]; description: string }[] => {
  const byKey = new Map<string, string>();
  for (const { map } of active) {
    for (const [key, shortcut] of Object.entries(map)) byKey.set(key, shortcut.description);
  }
  // An object lists its digit keys first whatever order they were written in: the page's own order
  // reads better (j, k, Enter … then 1-4), so digits come after the rest.
  const ordered = [...byKey].sort(([a], [b]) => Number(/^\d$/.test(a)) - Number(/^\d$/.test(b)));
  ordered.push(['?', 'Show this list of shortcuts']);
  const lines = new Map<string, string[]>();
  for (const [key, description] of ordered) lines.set(description, [...(lines.get(description) ?? []), key]);
  return [...lines].map(([description, keys]) => ({ keys, description }));
};

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]';

/** Keeps Tab inside a modal dialog: from its last control to its first, and back. */
export const trapTab = (event: KeyboardEvent, dialog: HTMLDialogElement): void => {
  if (event.key !== 'Tab') return;
  const controls = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.tabIndex >= 0,
  );
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
};

/**
 * The list of shortcuts, opened by `?` (or `openShortcutHelp`): a modal `<dialog>` — the page
 * behind it inert, Tab kept inside, Escape or Close closing it and giving focus back where it was.
 */
export const ShortcutHelp = () => {
  const [open, setOpen] = useState(helpOpen);
  const dialog = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);

  useEffect(() => {
    helpListeners.add(setOpen);
    return () => {
      helpListeners.delete(setOpen);
      if (helpListeners.size === 0) helpOpen = false;
    };
  }, []);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      element.showModal();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  const closed = () => {
    setHelpOpen(false);
    returnTo.current?.focus();
    returnTo.current = null;
  };

  return h(
    'dialog',
    {
      ref: dialog,
      class: 'shortcut-help',
      'aria-labelledby': 'shortcut-help-title',
      onClose: closed,
      onKeyDown: (event: KeyboardEvent) => {
        if (dialog.current) trapTab(event, dialog.current);
      },
    },
    open &&
      h(
        'div',
        null,
        h('h2', { id: 'shortcut-help-title' }, 'Keyboard shortcuts'),
        h('p', { class: 'hint' }, 'They work anywhere on the page except while you type in a field.'),
        h(
          'table',
          null,
          h(
            'thead',
            null,
            h('tr', null, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'What it does')),
          ),
          h(
            'tbody',
            null,
            listed().map(({ keys, description }) =>
              h(
                'tr',
                { key: description },
                h(
                  'td',
                  null,
                  keys.flatMap((key, index) => [
                    index > 0 ? ' or ' : '',
                    // A sequence (`g q`): each key, "then" between them.
                    ...(key.length > 1 && key.includes(' ') ? key.split(' ') : [key]).flatMap(
                      (part, step) => [
                        step > 0 ? ' then ' : '',
                        h('kbd', { key: `${key}-${step}` }, KEY_NAMES[part] ?? part),
                      ],
                    ),
                  ]),
                ),
                h('td', null, description),
              ),
            ),
          ),
        ),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', autoFocus: true, onClick: () => setHelpOpen(false) }, 'Close'),
        ),
      ),
  );
};
