import { randomBytes } from 'node:crypto';
import type { Clock } from '#shared/domain/clock';
import {
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnprocessableError,
  VersionMismatchError,
} from '#shared/domain/errors';
import { resolve } from '#shared/domain/lifecycle';
import type { Principal } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import { logger } from '#shared/runtime/observability';
import type { Page, PageRequest } from '#shared/store/query-page';
import { resolveTicket, resolveTicketSelfServed } from '#shared/tickets/ticket-actions';
import { type TicketDeps, visibleTicket } from '#shared/tickets/ticket-service';
import {
  type Article,
  type ArticlePatch,
  type ArticleRevision,
  createArticle,
  draftFromResolution,
  KB_LIMITS,
  type NewArticle,
  reviseArticle,
} from './article.ts';
import { type ArticleStore, type ArticleSummary, ArticleVersionMismatchError } from './article-store.ts';
import { ANONYMOUS_LIMITS, type AnonymousBucket } from './config.ts';
import type { IndexSource } from './index-store.ts';
import { withRendered } from './rendered.ts';
import { anonymousSource, type RequestWindows, windowOf } from './request-windows.ts';
import type { ArticleHit } from './search-index.ts';
import {
  articleScope,
  canChangeArticle,
  canDocumentFixes,
  canReadArticle,
  isKbStaff,
  type KbViewer,
  PUBLIC_SCOPE,
  suggestionScope,
} from './visibility.ts';

/**
 * The knowledge-base use cases: policy (`visibility.ts`), then the store or the index. Handlers
 * parse and shape; this decides. Who may read or change what is asked of `visibility.ts` only.
 */

export interface KbDeps {
  articles: ArticleStore;
  index: IndexSource;
  clock: Clock;
}

/** Use cases that touch a ticket too: a self-served resolution, a documented fix. */
export type KbTicketDeps = TicketDeps & Pick<KbDeps, 'articles'>;

/** The anonymous routes: what they read, and the request windows that limit each source. */
export interface AnonymousKbDeps extends KbDeps {
  windows: RequestWindows;
}

const PUBLISHER_ONLY =
  'Publishing, and changing what requesters can read, is for supervisors, admins and Tier 3 agents; save it as a draft or as internal.';

const notFound = (id: string) => new NotFoundError(`Article ${id} was not found.`);

const requireStaff = (principal: Principal, doing: string): void => {
  if (!isKbStaff(principal)) throw new ForbiddenError(`Only the desk ${doing}.`);
};

/** How often a change without If-Match is retried on a fresh read after losing a race. */
const UNCONDITIONAL_ATTEMPTS = 3;

// ---- reading -------------------------------------------------------------------------------

/** An article the caller may read; otherwise NotFound, so a draft's existence never leaks. */
export const readArticle = async (
  deps: Pick<KbDeps, 'articles'>,
  viewer: KbViewer,
  id: string,
): Promise<Article> => {
  const article = await deps.articles.getArticle(id);
  if (!article || !canReadArticle(viewer, article)) throw notFound(id);
  return article;
};

export interface ArticleListRequest extends PageRequest {
  tag?: string;
  category?: string;
}

export const listArticles = (
  deps: Pick<KbDeps, 'articles'>,
  viewer: KbViewer,
  { tag, category, limit, cursor }: ArticleListRequest,
): Promise<Page<ArticleSummary>> =>
  deps.articles.listArticles({ publicOnly: !isKbStaff(viewer), tag, category }, { limit, cursor });

/** Who changed what, when: for the desk (it names its people). */
export const articleHistory = async (
  deps: Pick<KbDeps, 'articles'>,
  principal: Principal,
  id: string,
  page: PageRequest,
): Promise<Page<ArticleRevision>> => {
  await readArticle(deps, principal, id);
  requireStaff(principal, "reads an article's history");
  return deps.articles.revisions(id, page);
};

// ---- writing -------------------------------------------------------------------------------

/** `kb-` and the title as a slug: readable URLs, like the seeded `kb-password-reset`. */
const slugOf = (title: string): string => {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `kb-${slug || 'article'}`;
};

const NUMBERED_ATTEMPTS = 5;

/**
 * Writes a new article under the first free id of `kb-<title>`, `kb-<title>-2`, …, and then a
 * random suffix: two articles may share a title, never an id.
 */
const createWithFreshId = async (
  store: ArticleStore,
  title: string,
  build: (id: string) => Article,
): Promise<Article> => {
  const base = slugOf(title);
  const candidates = [
    base,
    ...Array.from({ length: NUMBERED_ATTEMPTS - 1 }, (_, i) => `${base}-${i + 2}`),
    `${base}-${randomBytes(4).toString('hex')}`,
  ];
  for (const id of candidates) {
    const article = build(id.slice(0, KB_LIMITS.id));
    if (await store.createArticle(article)) return article;
  }
  throw new Error(`No free article id for "${title}" after ${candidates.length} attempts`);
};

/**
 * What the functions that write articles run on: the store, the clock and the renderer whose HTML
 * is kept with each version they write (`rendered.ts`), so that reading renders nothing.
 */
export interface ArticleWriterDeps extends Pick<KbDeps, 'articles' | 'clock'> {
  render: (markdown: string) => string;
}

export const addArticle = async (
  deps: ArticleWriterDeps,
  principal: Principal,
  input: NewArticle,
): Promise<Article> => {
  requireStaff(principal, 'writes knowledge-base articles');
  if (!canChangeArticle(principal, undefined, input)) throw new ForbiddenError(PUBLISHER_ONLY);
  const at = deps.clock.now().toISOString();
  // Rendered once, whichever id is free: the HTML does not depend on it.
  const article = withRendered(createArticle('', input, principal.id, at), deps.render);
  return createWithFreshId(deps.articles, input.title, (id) => ({ ...article, id }));
};

/**
 * Reads the article, holds it to the version the caller names (412 when it moved on) and lets
 * `change` write what it makes of it. With If-Match `*` (no version named) a write that lost a
 * race to another writer is tried again on the version that won.
 */
const onCurrentVersion = async <T>(
  deps: Pick<KbDeps, 'articles'>,
  principal: Principal,
  id: string,
  { expectedVersion, what }: { expectedVersion?: number; what: string },
  change: (current: Article) => Promise<T>,
): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    const current = await readArticle(deps, principal, id);
    requireStaff(principal, what);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new ArticleVersionMismatchError(expectedVersion, current.version);
    }
    try {
      return await change(current);
    } catch (error) {
      const retry =
        error instanceof VersionMismatchError &&
        expectedVersion === undefined &&
        attempt < UNCONDITIONAL_ATTEMPTS;
      if (!retry) throw error;
    }
  }
};

/** Changes an article (see {@link onCurrentVersion}). A patch that changes nothing writes nothing. */
export const editArticle = (
  deps: ArticleWriterDeps,
  principal: Principal,
  id: string,
  patch: ArticlePatch,
  { expectedVersion }: { expectedVersion?: number },
): Promise<Article> =>
  onCurrentVersion(
    deps,
    principal,
    id,
    { expectedVersion, what: 'edits knowledge-base articles' },
    async (current) => {
      const revised = reviseArticle(current, patch, principal.id, deps.clock.now().toISOString());
      if (!revised) return current;
      if (!canChangeArticle(principal, current, revised.article)) throw new ForbiddenError(PUBLISHER_ONLY);
      const article = withRendered(revised.article, deps.render);
      await deps.articles.updateArticle(current, article, revised.revision);
      return article;
    },
  );

export const removeArticle = (
  deps: Pick<KbDeps, 'articles'>,
  principal: Principal,
  id: string,
  { expectedVersion }: { expectedVersion?: number },
): Promise<void> =>
  onCurrentVersion(
    deps,
    principal,
    id,
    { expectedVersion, what: 'deletes knowledge-base articles' },
    async (current) => {
      if (!canChangeArticle(principal, current, undefined)) throw new ForbiddenError(PUBLISHER_ONLY);
      await deps.articles.deleteArticle(current);
    },
  );

// ---- anonymous callers -----------------------------------------------------------------------

/**
 * Lets an anonymous request from `address` through, counted in its window, or refuses it before
 * any work is done: 429 with the seconds until the window ends (`ANONYMOUS_LIMITS`).
 */
const admitAnonymous = async (
  { windows, clock }: Pick<AnonymousKbDeps, 'windows' | 'clock'>,
  bucket: AnonymousBucket,
  address: string,
): Promise<void> => {
  const limit = ANONYMOUS_LIMITS[bucket];
  const at = clock.now();
  if (await windows.admit(bucket, anonymousSource(address), limit, at)) return;
  const retryAfter = Math.max(1, Math.ceil(windowOf(limit, at).end - at.getTime() / 1000));
  throw new TooManyRequestsError(
    `Without signing in, an address may make ${limit.requests} such requests in ${limit.windowSeconds} s; ` +
      `try again in ${retryAfter} s, or sign in.`,
    retryAfter,
  );
};

/** `GET /kb/public/search` for the anonymous caller at `address`. */
export const publicSearch = async (
  deps: Pick<AnonymousKbDeps, 'index' | 'windows' | 'clock'>,
  address: string,
  query: { q: string; limit: number },
): Promise<ArticleHit[]> => {
  await admitAnonymous(deps, 'reads', address);
  return searchArticles(deps, undefined, query);
};

/** `POST /kb/public/suggest` for the anonymous caller at `address`. */
export const publicSuggest = async (
  deps: Pick<AnonymousKbDeps, 'index' | 'windows' | 'clock'>,
  address: string,
  ticket: TicketText,
  limit: number,
): Promise<ArticleHit[]> => {
  await admitAnonymous(deps, 'reads', address);
  return suggestArticles(deps, undefined, ticket, limit);
};

// ---- search and suggestions ----------------------------------------------------------------

export const searchArticles = async (
  deps: Pick<KbDeps, 'index'>,
  viewer: KbViewer,
  { q, limit }: { q: string; limit: number },
): Promise<ArticleHit[]> => (await deps.index.current()).search(q, { limit, scope: articleScope(viewer) });

export interface TicketText {
  subject: string;
  description?: string;
}

/** The best articles for a ticket being written: published ones the caller may read, never drafts. */
export const suggestArticles = async (
  deps: Pick<KbDeps, 'index'>,
  viewer: KbViewer,
  ticket: TicketText,
  limit: number,
): Promise<ArticleHit[]> =>
  (await deps.index.current()).suggest(ticket, { limit, scope: suggestionScope(viewer) });

/** How many articles a new ticket's response and its acknowledgment mail suggest. */
const TICKET_SUGGESTIONS = 3;

/**
 * The public articles to suggest for a ticket: what `POST /tickets` returns with the new ticket
 * and what the acknowledgment mail lists. Never fails: a missing or unreachable index means no
 * suggestions, not a failed ticket or an unsent acknowledgment.
 *
 *   import { kbIndexFromEnv } from '#shared/kb/kb-deps';
 *   const hits = await publicSuggestions(kbIndexFromEnv(), { subject, description });
 */
export const publicSuggestions = async (
  index: IndexSource,
  ticket: TicketText,
  limit = TICKET_SUGGESTIONS,
): Promise<ArticleHit[]> => {
  try {
    return (await index.current()).suggest(ticket, { limit, scope: PUBLIC_SCOPE });
  } catch (error) {
    logger.warn('No article suggestions: the knowledge-base index is unavailable', { error: error as Error });
    return [];
  }
};

/** The API's public page of an article (JSON, no sign-in): what mail links to without a console. */
const publicArticlePath = (id: string): string => `/kb/public/articles/${id}`;

/** Where people read and follow things in mail: the console when the stack names it, else the API. */
export interface LinkBases {
  /** The web console's address (`TIERDESK_CONSOLE_URL`), without a trailing slash. */
  consoleUrl?: string;
  /** The API's public address (`TIERDESK_PUBLIC_API_URL`), without a trailing slash. */
  apiUrl?: string;
}

/**
 * The link a mail gives for an article: its page in the console (rendered, searchable, no
 * sign-in), or without a console the API's public page; none when neither address is known.
 */
export const articleLink = (id: string, { consoleUrl, apiUrl }: LinkBases): string | undefined => {
  if (consoleUrl) return `${consoleUrl}/kb/${encodeURIComponent(id)}`;
  return apiUrl ? `${apiUrl}${publicArticlePath(id)}` : undefined;
};

/**
 * Suggestions on a ticket's page, for whoever may see the ticket: its requester gets public
 * articles, the desk also internal ones (the fixes documented on similar tickets).
 */
export const ticketSuggestions = async (
  deps: TicketDeps & Pick<KbDeps, 'index'>,
  principal: Principal,
  number: number,
  limit: number,
): Promise<ArticleHit[]> => {
  const ticket = await visibleTicket(deps, principal, number);
  return suggestArticles(deps, principal, ticket, limit);
};

// ---- deflection and documented fixes ---------------------------------------------------------

export interface DeflectionInput {
  articleId: string;
  /** The caller's own unresolved ticket the article solved: it is resolved as self-served. */
  ticket?: number;
}

export interface Deflection {
  articleId: string;
  selfServed: boolean;
  /** False when this person (or address) already said so today: counted once per day. */
  counted: boolean;
  ticket?: Ticket;
}

/** The published article someone says solved their problem (a draft has solved nothing yet). */
const solvingArticle = async (
  deps: Pick<KbDeps, 'articles'>,
  viewer: KbViewer,
  articleId: string,
): Promise<Article> => {
  const article = await readArticle(deps, viewer, articleId);
  if (article.status !== 'published') {
    throw new UnprocessableError(`Article ${article.id} is a draft: it cannot have solved anything yet.`, [
      { field: 'body.articleId', message: 'must be a published article' },
    ]);
  }
  return article;
};

/** The UTC day of an instant, `yyyy-mm-dd`: deflections count once per person, article and day. */
const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * "This article solved it": counted as a deflection — once per person, article and day, however
 * often it is said — and with a ticket, that ticket resolved as self-served with the article
 * linked both ways. The ticket is resolved first: a refused resolution (not theirs, already
 * resolved) counts nothing.
 */
export const recordDeflection = async (
  deps: KbTicketDeps,
  principal: Principal,
  input: DeflectionInput,
): Promise<Deflection> => {
  const article = await solvingArticle(deps, principal, input.articleId);
  let ticket: Ticket | undefined;
  if (input.ticket !== undefined) {
    ticket = await resolveTicketSelfServed(deps, principal, input.ticket, article);
    await deps.articles.linkTicket(article.id, ticket.number);
  }
  const counted = await deps.articles.recordDeflection(article.id, {
    selfServed: ticket !== undefined,
    once: { day: dayOf(deps.clock.now()), who: ticket ? `${principal.id}#${ticket.number}` : principal.id },
  });
  return { articleId: article.id, selfServed: ticket !== undefined, counted, ...(ticket && { ticket }) };
};

/**
 * "This article solved it" from someone who did not sign in (the public article pages): limited
 * per address (`ANONYMOUS_LIMITS.deflections`), counted once per address, article and day.
 */
export const recordAnonymousDeflection = async (
  deps: Pick<AnonymousKbDeps, 'articles' | 'windows' | 'clock'>,
  address: string,
  input: { articleId: string },
): Promise<Deflection> => {
  await admitAnonymous(deps, 'deflections', address);
  const article = await solvingArticle(deps, undefined, input.articleId);
  const counted = await deps.articles.recordDeflection(article.id, {
    selfServed: false,
    once: { day: dayOf(deps.clock.now()), who: `source:${anonymousSource(address)}` },
  });
  return { articleId: article.id, selfServed: false, counted };
};

/**
 * Resolves the ticket and "documents the fix": a draft, internal article written from the
 * ticket and its resolution, linked both ways. Everything that could refuse the resolution is
 * checked before the draft is written; should the resolution still fail (the ticket changed in
 * between), the draft is removed again.
 */
export const resolveDocumentingFix = async (
  deps: KbTicketDeps,
  principal: Principal,
  number: number,
  body: { resolution: string },
  options: { expectedVersion?: number },
): Promise<Ticket> => {
  const seen = await visibleTicket(deps, principal, number);
  if (!canDocumentFixes(principal)) {
    throw new ForbiddenError(
      'Documenting the fix (documentFix) is for Tier 3 agents, supervisors and admins; resolve without it.',
    );
  }
  if (options.expectedVersion !== undefined && seen.version !== options.expectedVersion) {
    throw new VersionMismatchError(options.expectedVersion, seen.version);
  }
  const now = deps.clock.now();
  resolve(seen, principal, body, now);
  const draft = await createWithFreshId(deps.articles, seen.subject, (id) =>
    draftFromResolution({ ...seen, resolution: body.resolution }, id, principal.id, now.toISOString()),
  );
  try {
    return await resolveTicket(deps, principal, number, { ...body, documentedIn: draft.id }, options);
  } catch (error) {
    await deps.articles.deleteArticle(draft).catch((cleanup: Error) =>
      logger.error('A documented-fix draft outlived its failed resolution', {
        id: draft.id,
        error: cleanup,
      }),
    );
    throw error;
  }
};
