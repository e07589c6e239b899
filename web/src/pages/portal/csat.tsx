import type { TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import { api, serverNow } from '../../api/client.ts';
import type { ProblemError } from '../../api/problem.ts';
import type { TicketView } from '../../api/types.ts';
import { formatDateTime } from '../../ui/format.ts';
import { problemOf } from '../../ui/problem-of.ts';
import { ErrorNotice } from '../../ui/status.tsx';

/**
 * The satisfaction question of a closed ticket, in the portal: the same one answer as the survey
 * link (`POST /tickets/{n}/csat`: a score from 1 to 5 and an optional comment). Once answered it
 * shows what was recorded; a new answer replaces it within 7 days of the first.
 */

const SCORES = [
  { score: 1, label: '1 – not at all' },
  { score: 2, label: '2' },
  { score: 3, label: '3' },
  { score: 4, label: '4' },
  { score: 5, label: '5 – very' },
];
const REVISE_MS = 7 * 24 * 3_600_000;
const COMMENT_LIMIT = 2_000;

export const CsatQuestion = ({
  ticket,
  onAnswered,
}: {
  ticket: TicketView;
  onAnswered: (ticket: TicketView) => void;
}) => {
  const answer = ticket.csat;
  const [editing, setEditing] = useState(false);
  const [score, setScore] = useState<number | undefined>(answer?.score);
  const [comment, setComment] = useState(answer?.comment ?? '');
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<ProblemError>();
  const [noScore, setNoScore] = useState(false);

  if (answer && !editing) {
    const mayChange = serverNow() - Date.parse(answer.firstAt) < REVISE_MS;
    return (
      <section class="card csat" aria-labelledby="csat-title">
        <h2 id="csat-title">Your rating</h2>
        <p role="status" class="csat-recorded">
          You rated how this ticket was handled <strong>{answer.score} out of 5</strong> (recorded{' '}
          <time dateTime={answer.at}>{formatDateTime(answer.at)}</time>). Thank you.
        </p>
        {answer.comment && <blockquote class="body">{answer.comment}</blockquote>}
        {mayChange && (
          <button
            type="button"
            onClick={() => {
              setScore(answer.score);
              setComment(answer.comment ?? '');
              setEditing(true);
            }}
          >
            Change your answer
          </button>
        )}
      </section>
    );
  }

  const submit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sending) return;
    if (score === undefined) {
      setNoScore(true);
      return;
    }
    setSending(true);
    setProblem(undefined);
    try {
      const rated = await api.post<TicketView>(`/tickets/${ticket.number}/csat`, {
        score,
        ...(comment.trim() && { comment: comment.trim() }),
      });
      onAnswered(rated.data);
      setEditing(false);
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setSending(false);
    }
  };
  const scoreError = noScore ? 'Choose a rating from 1 to 5.' : problem?.fieldMessage('score');
  const commentError = problem?.fieldMessage('comment');
  const general = problem && !scoreError && !commentError ? problem : undefined;

  return (
    <section class="card csat" aria-labelledby="csat-title">
      <h2 id="csat-title">How did we do?</h2>
      <form noValidate onSubmit={(event) => void submit(event)}>
        {general && <ErrorNotice error={general} />}
        <fieldset class="csat-scores" aria-describedby={scoreError ? 'csat-score-error' : undefined}>
          <legend>How satisfied are you with how this ticket was handled?</legend>
          {SCORES.map((option) => (
            <label key={option.score} class="csat-score">
              <input
                type="radio"
                name="score"
                value={option.score}
                checked={score === option.score}
                onChange={() => {
                  setScore(option.score);
                  setNoScore(false);
                }}
              />{' '}
              {option.label}
            </label>
          ))}
        </fieldset>
        {scoreError && (
          <p class="field-error" id="csat-score-error">
            {scoreError}
          </p>
        )}
        <label for="csat-comment">A few words (optional)</label>
        <textarea
          id="csat-comment"
          rows={3}
          maxLength={COMMENT_LIMIT}
          value={comment}
          aria-invalid={commentError ? 'true' : undefined}
          aria-describedby={commentError ? 'csat-comment-error' : undefined}
          onInput={(event) => setComment(event.currentTarget.value)}
        />
        {commentError && (
          <p class="field-error" id="csat-comment-error">
            {commentError}
          </p>
        )}
        <p class="actions form-actions">
          <button type="submit" class="primary" disabled={sending}>
            {sending ? 'Sending…' : 'Send rating'}
          </button>
          {answer && (
            <button type="button" onClick={() => setEditing(false)}>
              Keep my answer
            </button>
          )}
        </p>
      </form>
    </section>
  );
};
