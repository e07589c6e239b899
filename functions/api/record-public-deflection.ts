import { apiHandler } from '#shared/http/api-handler';
import { AnonymousDeflectionBodySchema } from '#shared/http/kb-schemas';
import { parseBody, sourceOf } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { articleStoreFromEnv, requestWindowsFromEnv } from '#shared/kb/kb-deps';
import { type AnonymousKbDeps, recordAnonymousDeflection } from '#shared/kb/kb-service';
import { MetricUnit, metrics } from '#shared/runtime/observability';

/** POST /kb/public/deflections: "this public article solved it", without signing in */
export const recordPublicDeflection = (deps: Pick<AnonymousKbDeps, 'articles' | 'windows' | 'clock'>) =>
  apiHandler(async (event) => {
    const body = parseBody(event, AnonymousDeflectionBodySchema);
    const deflection = await recordAnonymousDeflection(deps, sourceOf(event), body);
    if (deflection.counted) metrics.addMetric('Deflections', MetricUnit.Count, 1);
    const { articleId, selfServed, counted } = deflection;
    // `DeflectionResult`, without a ticket: an anonymous caller has none.
    return json(counted ? 201 : 200, { articleId, selfServed, counted });
  });

export const handler = recordPublicDeflection({
  articles: articleStoreFromEnv(),
  ...requestWindowsFromEnv(),
});
