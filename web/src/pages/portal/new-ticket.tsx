import type { TargetedEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api } from '../../api/client.ts';
import type { ArticleHit, ArticleHits } from '../../api/kb-types.ts';
import type { ProblemError } from '../../api/problem.ts';
import type { TicketView } from '../../api/types.ts';
import { ArticleHitList } from '../../ui/article-hits.tsx';
import { problemOf } from '../../ui/problem-of.ts';
import { ErrorNotice, Page } from '../../ui/status.tsx';

/**
 * `/new`: a requester writes a ticket. While the subject and description are typed, the desk's
 * public articles that may already answer it are suggested (`POST /kb/suggest`, debounced, stale
 * requests cancelled); "This solved it" records a deflection and files nothing. Sending files the
 * ticket under an idempotency key, so a double click or a retry cannot file it twice.
 */

const SUGGEST_DELAY_MS = 300;
/** Fewer characters than this say too little to search for. */
const SUGGEST_MIN_CHARS = 3;
const SUBJECT_LIMIT = 200;
const DESCRIPTION_LIMIT = 20_000;

type Level = 'low' | 'medium' | 'high';
type Field = 'subject' | 'description' | 'impact' | 'urgency';

const IMPACT: { value: Level; label: string }[] = [
  { value: 'low', label: 'Only me' },
  { value: 'medium', label: 'Several people, e.g. my team' },
  { value: 'high', label: 'Many people, or a whole office' },
];
const URGENCY: { value: Level; label: string }[] = [
  { value: 'low', label: 'It can wait a few days' },
  { value: 'medium', label: 'Soon: it slows my work down' },
  { value: 'high', label: 'Now: I cannot work' },
];

/** A fresh idempotency key: one per version of the ticket being written. */
const newKey = (): string =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

type Suggestions =
  | { state: 'idle' }
  | { state: 'loading'; hits?: readonly ArticleHit[] }
  | { state: 'done'; hits: readonly ArticleHit[] }
  | { state: 'unavailable' };

export default function NewTicket() {
  const { route } = useLocation();
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [impact, setImpact] = useState<Level | ''>('');
  const [urgency, setUrgency] = useState<Level | ''>('');
  const [key, setKey] = useState(newKey);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<ProblemError>();
  const [missing, setMissing] = useState<Partial<Record<Field, string>>>({});
  const [suggestions, setSuggestions] = useState<Suggestions>({ state: 'idle' });
  const [solving, setSolving] = useState<string>();
  const [solveProblem, setSolveProblem] = useState<ProblemError>();
  const [solved, setSolved] = useState<ArticleHit>();
  const subjectInput = useRef<HTMLInputElement>(null);
  const descriptionInput = useRef<HTMLTextAreaElement>(null);

  // Suggestions while typing: one request per pause, the previous one cancelled.
  useEffect(() => {
    const text = { subject: subject.trim(), description: description.trim() };
    if (text.subject.length + text.description.length < SUGGEST_MIN_CHARS) {
      setSuggestions({ state: 'idle' });
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setSuggestions((previous) => ({
        state: 'loading',
        hits: previous.state === 'done' || previous.state === 'loading' ? previous.hits : undefined,
      }));
      try {
        const answer = await api.post<ArticleHits>(
          '/kb/suggest',
          {
            subject: text.subject.slice(0, SUBJECT_LIMIT),
            description: text.description.slice(0, DESCRIPTION_LIMIT),
            limit: 5,
          },
          { signal: controller.signal },
        );
        if (!controller.signal.aborted) setSuggestions({ state: 'done', hits: answer.data.items });
      } catch {
        // Suggestions help; they never stand in the way of filing the ticket.
        if (!controller.signal.aborted) setSuggestions({ state: 'unavailable' });
      }
    }, SUGGEST_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [subject, description]);

  /** Every change to what would be sent gets a new key: the API refuses a key reused for other content. */
  const edit =
    <T,>(set: (value: T) => void, field: Field) =>
    (value: T) => {
      set(value);
      setKey(newKey());
      setMissing((previous) => ({ ...previous, [field]: undefined }));
    };

  const solvedIt = async (hit: ArticleHit) => {
    setSolving(hit.id);
    setSolveProblem(undefined);
    try {
      await api.post('/kb/deflections', { articleId: hit.id });
      setSolved(hit);
    } catch (failure) {
      setSolveProblem(problemOf(failure));
    } finally {
      setSolving(undefined);
    }
  };

  const submit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sending) return;
    const absent: Partial<Record<Field, string>> = {
      ...(subject.trim() === '' && { subject: 'Write a short subject: what is not working?' }),
      ...(description.trim() === '' && {
        description: 'Describe the problem: what you tried, what you saw, since when.',
      }),
    };
    setMissing(absent);
    if (absent.subject || absent.description) {
      (absent.subject ? subjectInput : descriptionInput).current?.focus();
      return;
    }
    setSending(true);
    setProblem(undefined);
    try {
      const created = await api.post<TicketView>(
        '/tickets',
        {
          subject: subject.trim(),
          description: description.trim(),
          ...(impact && { impact }),
          ...(urgency && { urgency }),
        },
        { idempotencyKey: key },
      );
      route(`/tickets/${created.data.number}`);
    } catch (failure) {
      const error = problemOf(failure);
      setProblem(error);
      setSending(false);
      if (error.fieldMessage('subject')) subjectInput.current?.focus();
      else if (error.fieldMessage('description')) descriptionInput.current?.focus();
    }
  };

  if (solved) {
    return (
      <Page title="Glad that helped">
        <div class="notice notice-info" role="status">
          <p>
            <strong>No ticket was filed.</strong> “{solved.title}” solved it, and the desk counts that: it
            tells them which articles help.
          </p>
        </div>
        <p>If the problem comes back, open a new ticket.</p>
        <p class="actions">
          <a class="button primary" href="/my">
            My tickets
          </a>
          <a class="button" href="/kb">
            Search the knowledge base
          </a>
        </p>
      </Page>
    );
  }

  const errorOf = (field: Field) => missing[field] ?? problem?.fieldMessage(field);
  const fieldProps = (field: Field, hint?: string) => {
    const error = errorOf(field);
    const describedBy = [hint, error ? `${field}-error` : undefined].filter(Boolean).join(' ');
    return {
      id: field,
      name: field,
      'aria-invalid': error ? ('true' as const) : undefined,
      'aria-describedby': describedBy || undefined,
    };
  };
  const fieldError = (field: Field) => {
    const error = errorOf(field);
    return error ? (
      <p class="field-error" id={`${field}-error`}>
        {error}
      </p>
    ) : null;
  };
  const hits = suggestions.state === 'done' || suggestions.state === 'loading' ? suggestions.hits : undefined;
  // Field problems are shown at their fields; the notice is for the rest.
  const general = problem && problem.errors.length === 0 ? problem : undefined;

  return (
    <Page title="New ticket">
      <div class="grid-2 new-ticket">
        <form class="card" noValidate onSubmit={(event) => void submit(event)} aria-label="New ticket">
          <p class="hint">
            Tell the desk what is wrong. While you type, articles that may already answer it are suggested.
          </p>
          {general && <ErrorNotice error={general} />}
          {problem && !general && (
            <p class="notice notice-error" role="alert">
              {problem.title}: correct the fields marked below.
            </p>
          )}
          <label for="subject">Subject</label>
          <input
            {...fieldProps('subject', 'subject-hint')}
            ref={subjectInput}
            type="text"
            required
            aria-required="true"
            maxLength={SUBJECT_LIMIT}
            autocomplete="off"
            value={subject}
            onInput={(event) => edit(setSubject, 'subject')(event.currentTarget.value)}
          />
          <p class="hint" id="subject-hint">
            In a few words, e.g. “VPN disconnects every hour”.
          </p>
          {fieldError('subject')}
          <label for="description">Description</label>
          <textarea
            {...fieldProps('description')}
            ref={descriptionInput}
            required
            aria-required="true"
            maxLength={DESCRIPTION_LIMIT}
            rows={8}
            value={description}
            onInput={(event) => edit(setDescription, 'description')(event.currentTarget.value)}
          />
          {fieldError('description')}
          {hits && hits.length > 0 && (
            <p class="suggestion-pointer">
              <a href="#suggestions">
                {hits.length === 1 ? 'An article' : `${hits.length} articles`} may already answer this
              </a>
            </p>
          )}
          <label for="impact">Who is affected? (optional)</label>
          <select
            {...fieldProps('impact')}
            value={impact}
            onChange={(event) => edit(setImpact, 'impact')(event.currentTarget.value as Level | '')}
          >
            <option value="">Not sure</option>
            {IMPACT.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          {fieldError('impact')}
          <label for="urgency">How urgent is it? (optional)</label>
          <select
            {...fieldProps('urgency')}
            value={urgency}
            onChange={(event) => edit(setUrgency, 'urgency')(event.currentTarget.value as Level | '')}
          >
            <option value="">Not sure</option>
            {URGENCY.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          {fieldError('urgency')}
          <p class="actions form-actions">
            <button type="submit" class="primary" disabled={sending}>
              {sending ? 'Sending…' : 'Send ticket'}
            </button>
            <a class="button" href="/my">
              Cancel
            </a>
          </p>
        </form>
        <section id="suggestions" tabIndex={-1} class="card suggestions" aria-labelledby="suggestions-title">
          <h2 id="suggestions-title">Articles that may help</h2>
          <p class="hint" role="status" aria-live="polite">
            {suggestions.state === 'idle' && 'Start typing your subject to see articles that may answer it.'}
            {suggestions.state === 'loading' && !hits && 'Looking for articles…'}
            {suggestions.state === 'unavailable' &&
              'Suggestions are not available right now; you can still send the ticket.'}
            {hits &&
              (hits.length === 0
                ? 'No article matches yet.'
                : `${hits.length} ${hits.length === 1 ? 'article' : 'articles'} may answer this.`)}
          </p>
          {solveProblem && <ErrorNotice error={solveProblem} />}
          {hits && hits.length > 0 && (
            <ArticleHitList
              hits={hits}
              newTab
              action={(hit) => (
                <button
                  type="button"
                  class="solved-it"
                  disabled={solving !== undefined}
                  aria-label={`This solved it: ${hit.title}`}
                  onClick={() => void solvedIt(hit)}
                >
                  {solving === hit.id ? 'Recording…' : 'This solved it'}
                </button>
              )}
            />
          )}
        </section>
      </div>
    </Page>
  );
}
