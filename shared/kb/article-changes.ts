import { KB_ENTITY } from '#shared/store/entities';
import { imageOf, type StreamRecord } from '#shared/store/stream';
import { ARTICLE_CONTENT_FIELDS } from './article.ts';

/**
 * Does the record change what the search index holds? A new or deleted article does; a change
 * does when a field the index is built from changed (a ticket linked to the article does not).
 */
export const changesIndexedArticle = (record: StreamRecord): boolean => {
  const after = imageOf(record, 'NewImage');
  const before = imageOf(record, 'OldImage');
  if (after?.entity !== KB_ENTITY.article && before?.entity !== KB_ENTITY.article) return false;
  if (!after || !before) return true;
  return ARTICLE_CONTENT_FIELDS.some(
    (field) => JSON.stringify(after[field]) !== JSON.stringify(before[field]),
  );
};
