import { isStaff } from '#shared/domain/policy';
import type { Principal } from '#shared/domain/principal';
import type { Article, ArticleAudience, ArticleStatus } from './article.ts';

/**
 * Who may read and who may change which article. Pure functions of the caller and the article,
 * so the whole rule is one table in the unit tests; the API, search and suggestions all ask here.
 *
 * Reading
 * | caller                                   | public+published | internal+published | drafts |
 * |------------------------------------------|------------------|--------------------|--------|
 * | anonymous, requester                     | yes              | no                 | no     |
 * | agent of any tier, supervisor, admin     | yes              | yes                | yes    |
 *
 * Drafts are work in progress of the desk: every agent may write one, so every agent may read
 * them. Requesters see only what a publisher has approved for them.
 *
 * Changing
 * - Any staff member may create, edit and delete drafts and internal published articles.
 * - Publishing, and any change to what requesters can read (editing, unpublishing, deleting a
 *   public published article, or making a published article public), needs a publisher:
 *   a supervisor, an admin or a Tier 3 agent.
 */

/** The caller of a knowledge-base request; `undefined` is an anonymous caller. */
export type KbViewer = Principal | undefined;

type ArticleState = Pick<Article, 'audience' | 'status'>;

/** The audiences and statuses a caller may read: a filter a search or a list can apply. */
export interface ArticleScope {
  audiences: readonly ArticleAudience[];
  statuses: readonly ArticleStatus[];
}

/** What requesters and anonymous callers read: suggestions for a ticket use this scope. */
export const PUBLIC_SCOPE: ArticleScope = { audiences: ['public'], statuses: ['published'] };
export const STAFF_SCOPE: ArticleScope = {
  audiences: ['public', 'internal'],
  statuses: ['draft', 'published'],
};

/** The desk (agents of any tier, supervisors, admins): reads every article, and who wrote it. */
export const isKbStaff = (viewer: KbViewer): viewer is Principal => viewer !== undefined && isStaff(viewer);

export const articleScope = (viewer: KbViewer): ArticleScope =>
  isKbStaff(viewer) ? STAFF_SCOPE : PUBLIC_SCOPE;

/**
 * What suggestions offer: approved answers only, never a draft. Staff also get internal articles
 * (the fixes Tier 3 documented on similar tickets); requesters what they may read.
 */
const PUBLISHED_SCOPE: ArticleScope = { audiences: ['public', 'internal'], statuses: ['published'] };
export const suggestionScope = (viewer: KbViewer): ArticleScope =>
  isKbStaff(viewer) ? PUBLISHED_SCOPE : PUBLIC_SCOPE;

export const inScope = (scope: ArticleScope, article: ArticleState): boolean =>
  scope.audiences.includes(article.audience) && scope.statuses.includes(article.status);

export const canReadArticle = (viewer: KbViewer, article: ArticleState): boolean =>
  inScope(articleScope(viewer), article);

export const canPublishArticles = (p: Principal): boolean =>
  p.roles.has('supervisor') || p.roles.has('admin') || (p.roles.has('agent') && p.tiers.includes(3));

/**
 * "Document the fix" when resolving: a draft written from the resolution is the start of an
 * article, so it is for those who decide what the knowledge base says.
 */
export const canDocumentFixes = (p: Principal): boolean => canPublishArticles(p);

const readByRequesters = (article: ArticleState | undefined): boolean =>
  article !== undefined && inScope(PUBLIC_SCOPE, article);

/**
 * May this caller take an article from `current` to `next`? Creation has no `current`, deletion
 * no `next`.
 */
export const canChangeArticle = (
  viewer: KbViewer,
  current: ArticleState | undefined,
  next: ArticleState | undefined,
): boolean => {
  if (!isKbStaff(viewer)) return false;
  const publishes = next?.status === 'published' && current?.status !== 'published';
  const needsPublisher = publishes || readByRequesters(current) || readByRequesters(next);
  return !needsPublisher || canPublishArticles(viewer);
};
