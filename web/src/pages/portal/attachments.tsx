import { useState } from 'preact/hooks';
import { api } from '../../api/client.ts';
import type { ProblemError } from '../../api/problem.ts';
import type { TimelineEvent } from '../../api/types.ts';
import { problemOf } from '../../ui/problem-of.ts';

/**
 * The files a timeline event carries (`data.attachments`, as the mail intake lists them): each
 * kept one a download through `GET /tickets/{n}/attachments/{id}` (a short-lived link, after the
 * same visibility check as the timeline), each skipped one with the reason. Nothing when the
 * event has none.
 */

interface Listed {
  name: string;
  size?: number;
  id?: string;
  key?: string;
  skipped?: string;
}

const listed = (event: TimelineEvent): Listed[] => {
  const value = event.data?.attachments;
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item): item is Listed =>
      typeof item === 'object' && item !== null && typeof (item as Listed).name === 'string',
  );
};

/** The attachment's id in the route: its own, else the id part of its key (`attachments/<n>/<id>/<name>`). */
const idOf = (attachment: Listed): string | undefined =>
  attachment.id ?? attachment.key?.split('/').slice(-2, -1)[0];

const size = (bytes: number | undefined) => {
  if (bytes === undefined) return '';
  if (bytes >= 1_048_576) return ` (${(bytes / 1_048_576).toFixed(1)} MB)`;
  return ` (${Math.max(1, Math.round(bytes / 1024))} KB)`;
};

const Download = ({ number, attachment, id }: { number: number; attachment: Listed; id: string }) => {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemError>();
  const download = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const answer = await api.get<{ url?: string }>(
        `/tickets/${number}/attachments/${encodeURIComponent(id)}`,
      );
      if (answer.data?.url) location.assign(answer.data.url);
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="link" disabled={busy} onClick={() => void download()}>
        Download {attachment.name}
      </button>
      {size(attachment.size)}
      {problem && (
        <span class="field-error" role="alert">
          {' '}
          {problem.title}
          {problem.detail ? `: ${problem.detail}` : ''}
        </span>
      )}
    </>
  );
};

export const TicketAttachments = ({ number, event }: { number: number; event: TimelineEvent }) => {
  const attachments = listed(event);
  if (attachments.length === 0) return null;
  return (
    <ul class="attachments" aria-label="Attachments">
      {attachments.map((attachment, index) => {
        const id = attachment.skipped ? undefined : idOf(attachment);
        return (
          <li key={`${attachment.name}-${index}`}>
            {id ? (
              <Download number={number} attachment={attachment} id={id} />
            ) : (
              <span class="hint">
                {attachment.name}
                {attachment.skipped ? ` was not kept (${attachment.skipped.replaceAll('_', ' ')})` : ''}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
};
