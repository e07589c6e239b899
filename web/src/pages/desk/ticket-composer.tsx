import type { RefObject } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../../api/client.ts';
import { ProblemError } from '../../api/problem.ts';
import type { AttachmentUpload, TimelineEvent } from '../../api/types.ts';
import { problemOf } from '../../ui/problem-of.ts';
import { useTicket } from './ticket-context.ts';
import { describedBy, FieldError, fieldError, SubmitStatus, useSubmit } from './ticket-forms.tsx';

/**
 * Reply to the requester, or write an internal note, with files: each file is announced to the
 * API (`POST …/attachments`, which checks its size and type), uploaded straight to storage with
 * the form the API answered, and named on the comment by its id.
 */

export type Mode = 'public' | 'internal';

interface Upload {
  key: number;
  file: File;
  state: 'uploading' | 'ready' | 'failed';
  progress: number;
  id?: string;
  error?: string;
}

const uploadForm = (slot: AttachmentUpload['upload'], file: File, onProgress: (share: number) => void) =>
  new Promise<void>((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(slot.fields)) form.append(name, value);
    form.append('file', file);
    const request = new XMLHttpRequest();
    request.open('POST', slot.url);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () =>
      request.status >= 200 && request.status < 300
        ? resolve()
        : reject(
            new ProblemError(
              request.status,
              'The file was not stored',
              `Storage answered ${request.status}.`,
            ),
          );
    request.onerror = () =>
      reject(new ProblemError(0, 'The file could not be uploaded', 'The storage could not be reached.'));
    request.send(form);
  });

/** The API's reason a file was refused, in one line for its row. */
const refusal = (error: unknown): string => {
  const problem = problemOf(error);
  if (problem.status === 404) return 'This desk does not take attachments yet.';
  const fields = problem.errors.map((issue) => issue.message);
  return [problem.detail ?? problem.title, ...fields].join(' — ');
};

let uploadKeys = 0;

export const Composer = ({
  mode,
  setMode,
  textRef,
  onActivity,
}: {
  mode: Mode;
  setMode: (mode: Mode) => void;
  textRef: RefObject<HTMLTextAreaElement | null>;
  /** Whether the person is writing (text in the box, or focus on it): presence says "replying". */
  onActivity: (replying: boolean) => void;
}) => {
  const ticket = useTicket();
  const [body, setBody] = useState('');
  const [focused, setFocused] = useState(false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [own, setOwn] = useState<Record<string, string | undefined>>({});
  const closed = ticket.ticket.status === 'closed';
  const publicReply = mode === 'public' && !closed;

  const report = (text: string, hasFocus: boolean) => onActivity(text.trim() !== '' || hasFocus);
  const patch = (key: number, change: Partial<Upload>) =>
    setUploads((list) => list.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));

  const attach = async (file: File) => {
    const key = ++uploadKeys;
    setUploads((list) => [...list, { key, file, state: 'uploading', progress: 0 }]);
    try {
      const { data: slot } = await api.post<AttachmentUpload>(`/tickets/${ticket.number}/attachments`, {
        filename: file.name,
        contentType: file.type || 'application/octet-stream',
        size: file.size,
      });
      if (file.size > slot.maxBytes) {
        throw new ProblemError(
          413,
          'Too large',
          `Files may be up to ${Math.floor(slot.maxBytes / 1024 / 1024)} MB.`,
        );
      }
      await uploadForm(slot.upload, file, (share) => patch(key, { progress: share }));
      patch(key, { state: 'ready', progress: 1, id: slot.id });
    } catch (error) {
      patch(key, { state: 'failed', error: refusal(error) });
    }
  };

  const send = useSubmit(ticket, async () => {
    const text = body.trim();
    if (!text) {
      setOwn({ body: publicReply ? 'Write the reply first.' : 'Write the note first.' });
      textRef.current?.focus();
      return;
    }
    setOwn({});
    const ids = uploads.filter((upload) => upload.state === 'ready').map((upload) => upload.id as string);
    await api.post<TimelineEvent>(`/tickets/${ticket.number}/comments`, {
      body: text,
      public: publicReply,
      ...(ids.length > 0 && { attachments: ids }),
    });
    setBody('');
    setUploads([]);
    report('', focused);
    ticket.commented(publicReply ? 'Reply sent to the requester.' : 'Internal note added.');
  });

  const uploading = uploads.some((upload) => upload.state === 'uploading');
  const bodyError = fieldError(own, send.problem, 'body');
  const label = publicReply ? 'Reply to the requester' : 'Internal note (the desk only)';

  return (
    <section class={`card composer ${publicReply ? '' : 'internal'}`} aria-labelledby="composer-title">
      <h2 id="composer-title">{publicReply ? 'Reply' : 'Internal note'}</h2>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void send.submit();
        }}
      >
        <fieldset class="mode">
          <legend>Send as</legend>
          <label class="inline">
            <input
              type="radio"
              name="mode"
              value="public"
              checked={publicReply}
              disabled={closed}
              onChange={() => setMode('public')}
            />{' '}
            Public reply <span class="hint">(the requester and watchers get it)</span>
          </label>
          <label class="inline">
            <input
              type="radio"
              name="mode"
              value="internal"
              checked={!publicReply}
              onChange={() => setMode('internal')}
            />{' '}
            Internal note <span class="hint">(staff only)</span>
          </label>
          {closed && <p class="hint">The ticket is closed: it takes internal notes only.</p>}
        </fieldset>
        <label for="composer-body">{label}</label>
        <textarea
          ref={textRef}
          {...describedBy('composer-body', bodyError)}
          value={body}
          onInput={(event) => {
            const text = (event.target as HTMLTextAreaElement).value;
            setBody(text);
            report(text, true);
          }}
          onFocus={() => {
            setFocused(true);
            report(body, true);
          }}
          onBlur={() => {
            setFocused(false);
            report(body, false);
          }}
        />
        <FieldError id="composer-body" error={bodyError} />

        <label for="composer-files">Attach files</label>
        <input
          id="composer-files"
          type="file"
          multiple
          aria-describedby="composer-files-hint"
          onChange={(event) => {
            const input = event.target as HTMLInputElement;
            for (const file of input.files ?? []) void attach(file);
            input.value = '';
          }}
        />
        <p class="hint" id="composer-files-hint">
          The desk checks each file's size and type. Files are downloaded, never opened in the page.
        </p>
        {uploads.length > 0 && (
          <ul class="uploads" aria-label="Files to send" aria-live="polite">
            {uploads.map((upload) => (
              <li key={upload.key} data-upload-state={upload.state}>
                <span class="filename">{upload.file.name}</span>{' '}
                {upload.state === 'uploading' && (
                  <>
                    <progress max={1} value={upload.progress} aria-label={`Uploading ${upload.file.name}`} />{' '}
                    uploading… {Math.round(upload.progress * 100)}%
                  </>
                )}
                {upload.state === 'ready' && <span class="badge ok">uploaded</span>}
                {upload.state === 'failed' && (
                  <span class="field-error" role="alert">
                    Not attached: {upload.error}
                  </span>
                )}{' '}
                <button
                  type="button"
                  class="link"
                  onClick={() => setUploads((list) => list.filter((other) => other.key !== upload.key))}
                >
                  Remove<span class="visually-hidden"> {upload.file.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <SubmitStatus submission={send} fields={['body']} />
        <div class="actions">
          <button type="submit" class="primary" disabled={send.busy || uploading}>
            {send.busy ? 'Sending…' : publicReply ? 'Send reply' : 'Add internal note'}
          </button>
          {uploading && <span class="hint">Waiting for the uploads to finish…</span>}
        </div>
      </form>
    </section>
  );
};
