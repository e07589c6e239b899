import { marshall } from '@aws-sdk/util-dynamodb';
import { App, Stack, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '#infra/constructs/api';
import { Auth } from '#infra/constructs/auth';
import { Data } from '#infra/constructs/data';
import { STREAM_FILTER_PATTERNS } from '#infra/constructs/events';
import {
  KB_INDEX_MEMORY_MB,
  KB_NONCURRENT_VERSION_DAYS,
  KnowledgeBase,
} from '#infra/constructs/knowledge-base';
import type { LambdaFunction } from '#infra/constructs/lambda-function';
import { ROUTES, type RouteId } from '#shared/http/routes';
import { createArticle } from '#shared/kb/article';
import { KB_INDEX_KEY, KB_PREFIX, KB_VARIABLES } from '#shared/kb/config';
import { articleKey, eventKey, ticketKey } from '#shared/store/keys';
import { matchesFilter } from '#test/support/event-filter';
import {
  appProps,
  logicalId,
  policyActions,
  SYNTH_TIMEOUT_MS,
  type Synthesis,
  synthesize,
  synthTierdesk,
  type TierdeskSynthesis,
} from './synth.ts';
import { allowStatementsOf, type PolicyStatement, render, resourcesOfAction } from './template.ts';

/** Template assertions on the knowledge base's bucket and on who may read or write the index. */

/** The resources a role may apply an action to, rendered and sorted. */
const resourcesFor = (template: Template, roleLogicalId: string, action: string): string[] =>
  resourcesOfAction(template, roleLogicalId, action).map(render).sort();

/** What a function's role may do to the knowledge base, and what it is told about it. */
const kbAccessOf = (template: Template, kb: KnowledgeBase, fn: LambdaFunction) => {
  const role = logicalId(fn.role);
  const bucket = `<${logicalId(kb.bucket)}.Arn>`;
  const key = `<${logicalId(kb.key)}.Arn>`;
  const onBucket = (resource: string) => resource === bucket || resource.startsWith(`${bucket}/`);
  const s3 = policyActions(template, role).filter((action) => action.startsWith('s3:'));
  return {
    bucket,
    /** S3 actions on the KB bucket or its objects, each with the resources it applies to. */
    s3: Object.fromEntries(
      [...new Set(s3)]
        .map((action) => [action, resourcesFor(template, role, action).filter(onBucket)] as const)
        .filter(([, resources]) => resources.length > 0)
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
    /** KMS actions granted on the KB key. */
    kms: allowStatementsOf(template, role)
      .filter((statement) => [statement.Resource].flat().map(render).includes(key))
      .flatMap((statement) => [statement.Action].flat())
      .sort(),
    variable:
      template.findResources('AWS::Lambda::Function')[logicalId(fn.fn)]?.Properties.Environment?.Variables[
        KB_VARIABLES.bucket
      ],
    memory: template.findResources('AWS::Lambda::Function')[logicalId(fn.fn)]?.Properties.MemorySize,
  };
};

/** A stream record as DynamoDB writes it with NEW_AND_OLD_IMAGES: no new image on REMOVE, no old one on INSERT. */
const streamRecord = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  item: Record<string, unknown> & { pk: string; sk: string },
) => ({
  eventName,
  dynamodb: {
    Keys: marshall({ pk: item.pk, sk: item.sk }),
    ...(eventName === 'REMOVE' ? {} : { NewImage: marshall(item, { removeUndefinedValues: true }) }),
    ...(eventName === 'INSERT' ? {} : { OldImage: marshall(item, { removeUndefinedValues: true }) }),
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

describe('Construct: KnowledgeBase (in the Tierdesk stack)', () => {
  let synthesis: TierdeskSynthesis;
  beforeAll(() => {
    synthesis = synthTierdesk();
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synthesis.dispose());

  const kb = () => synthesis.stack.knowledgeBase;
  const bucket = () => synthesis.template.findResources('AWS::S3::Bucket')[logicalId(kb().bucket)];
  const bucketPolicy = () =>
    Object.values(synthesis.template.findResources('AWS::S3::BucketPolicy')).find(
      (policy) =>
        JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: logicalId(kb().bucket) }),
    );

  describe('Bucket', () => {
    it('encrypts with its own customer-managed key (rotating, kept), through a bucket key', () => {
      expect(bucket()?.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(kb().key), 'Arn'] },
            },
          },
        ],
      });
      expect(synthesis.template.findResources('AWS::KMS::Key')[logicalId(kb().key)]).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: { EnableKeyRotation: true },
      });
      // Not the table's key nor the mail key: access to the index is revoked on its own.
      expect(logicalId(kb().key)).not.toBe(logicalId(synthesis.stack.data.key));
      expect(logicalId(kb().key)).not.toBe(logicalId(synthesis.stack.email.key));
    });

    it('blocks public access, enforces bucket ownership, is versioned and kept when the stack goes', () => {
      expect(bucket()).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          VersioningConfiguration: { Status: 'Enabled' },
        },
      });
    });

    it('denies every request that does not use TLS, and grants nothing through its policy', () => {
      const statements: PolicyStatement[] = bucketPolicy()?.Properties.PolicyDocument.Statement;
      expect(statements).toEqual([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]);
    });

    it(`expires replaced or deleted versions of kb/ after ${KB_NONCURRENT_VERSION_DAYS} days, and cleans up`, () => {
      expect(KB_INDEX_KEY.startsWith(KB_PREFIX)).toBe(true);
      expect(bucket()?.Properties.LifecycleConfiguration.Rules).toEqual([
        {
          Id: 'expire-replaced-index',
          Prefix: KB_PREFIX,
          NoncurrentVersionExpiration: { NoncurrentDays: KB_NONCURRENT_VERSION_DAYS },
          Status: 'Enabled',
        },
        {
          Id: 'clean-up',
          ExpiredObjectDeleteMarker: true,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          Status: 'Enabled',
        },
      ]);
    });

    it('is named in the KbBucketName output', () => {
      expect(synthesis.template.findOutputs('KbBucketName').KbBucketName?.Value).toEqual({
        Ref: logicalId(kb().bucket),
      });
    });
  });

  describe('Route handlers', () => {
    const handlerOf = (routeId: RouteId) => {
      const handler = synthesis.stack.api.functionFor(routeId);
      return handler;
    };

    it("let the functions of routes with kbIndexAccess 'read' read kb/* and tell them the bucket; others get neither", () => {
      for (const route of ROUTES) {
        // Act
        const access = kbAccessOf(synthesis.template, kb(), handlerOf(route.id));

        // Assess
        if ((route as { kbIndexAccess?: string }).kbIndexAccess === 'read') {
          expect(access.s3, route.id).toEqual({
            's3:GetObject': [`${access.bucket}/${KB_PREFIX}*`],
            's3:ListBucket': [access.bucket],
          });
          expect(access.kms, route.id).toEqual(['kms:Decrypt']);
          expect(access.variable, route.id).toEqual({ Ref: logicalId(kb().bucket) });
          expect(access.memory, route.id).toBe(KB_INDEX_MEMORY_MB);
        } else {
          expect(access.s3, route.id).toEqual({});
          expect(access.kms, route.id).toEqual([]);
          expect(access.variable, route.id).toBeUndefined();
          expect(access.memory, route.id).toBe(512);
        }
      }
    });
  });

  describe('Stream processor', () => {
    const processor = () => synthesis.stack.events.processor;
    const patterns = () => {
      const mapping = Object.values(synthesis.template.findResources('AWS::Lambda::EventSourceMapping')).find(
        (resource) =>
          JSON.stringify(resource.Properties.FunctionName) ===
          JSON.stringify({ Ref: logicalId(processor().fn) }),
      );
      return mapping?.Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) =>
        JSON.parse(filter.Pattern),
      ) as unknown[];
    };
    const wakes = (record: unknown) => patterns().some((pattern) => matchesFilter(pattern, record));

    // Prepare: items shaped like the stores write them
    const article = {
      ...articleKey('kb-vpn-connect'),
      entity: 'article',
      ...createArticle(
        'kb-vpn-connect',
        {
          title: 'Connect to the VPN',
          body: 'Open **GlobalProtect** and sign in.',
          tags: ['vpn'],
          category: 'network/vpn',
          audience: 'public',
          status: 'published',
          linkedTickets: [],
        },
        'tess@example.com',
        '2026-11-23T09:00:00.000Z',
      ),
    };
    const ticket = { ...ticketKey(1042), entity: 'ticket', number: 1042, status: 'open', version: 3 };

    it('filters with exactly the STREAM_FILTER_PATTERNS', () => {
      expect(patterns()).toEqual(Object.values(STREAM_FILTER_PATTERNS));
    });

    it('wakes when an article is inserted, modified or removed', () => {
      for (const eventName of ['INSERT', 'MODIFY', 'REMOVE'] as const) {
        expect(wakes(streamRecord(eventName, article)), eventName).toBe(true);
      }
    });

    it('still wakes for tickets inserted or modified, and not for a ticket removed', () => {
      expect(wakes(streamRecord('INSERT', ticket))).toBe(true);
      expect(wakes(streamRecord('MODIFY', ticket))).toBe(true);
      expect(wakes(streamRecord('REMOVE', ticket))).toBe(false);
    });

    it("sleeps through everything else, the knowledge base's other items included", () => {
      const others = [
        { ...eventKey(1042, 3, 0), entity: 'event', type: 'created' },
        { pk: articleKey('kb-vpn-connect').pk, sk: 'REVISION#0000000002', entity: 'article_revision' },
        { pk: 'KBLIST#public#all', sk: 'kb-vpn-connect', entity: 'article_listing', title: 'Connect' },
        { pk: 'KBCOUNTER#total', sk: 'DEFLECTIONS', entity: 'kb_counter', deflections: 3 },
        // Not an entity attribute at all, though the word is in its keys.
        { pk: 'ARTICLE#x', sk: 'ARTICLE', title: 'article' },
      ];
      for (const item of others) {
        for (const eventName of ['INSERT', 'MODIFY', 'REMOVE'] as const) {
          expect(wakes(streamRecord(eventName, item)), `${eventName} ${item.pk} ${item.sk}`).toBe(false);
        }
      }
    });

    it('may read and put objects under kb/ only (nothing deleted), with the KB key, and is told the bucket', () => {
      const access = kbAccessOf(synthesis.template, kb(), processor());
      expect(access.s3).toEqual({
        's3:GetObject': [`${access.bucket}/${KB_PREFIX}*`],
        's3:ListBucket': [access.bucket],
        's3:PutObject': [`${access.bucket}/${KB_PREFIX}*`],
      });
      expect(access.kms).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      expect(access.variable).toEqual({ Ref: logicalId(kb().bucket) });
      expect(access.memory).toBe(KB_INDEX_MEMORY_MB);
      // The articles it indexes are in the table, which it reads and never writes.
      const actions = policyActions(synthesis.template, logicalId(processor().role));
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:BatchGetItem']));
      expect(actions.filter((action) => action.startsWith('s3:')).sort()).toEqual([
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ]);
    });
  });

  describe('Mailer', () => {
    it('may read kb/* (suggestions in the acknowledgment) and is told the bucket, but not write it', () => {
      const access = kbAccessOf(synthesis.template, kb(), synthesis.stack.email.mailer);
      expect(access.s3).toEqual({
        's3:GetObject': [`${access.bucket}/${KB_PREFIX}*`],
        's3:ListBucket': [access.bucket],
      });
      expect(access.kms).toEqual(['kms:Decrypt']);
      expect(access.variable).toEqual({ Ref: logicalId(kb().bucket) });
      expect(access.memory).toBe(KB_INDEX_MEMORY_MB);
    });

    it('leaves the mail intake without the knowledge base', () => {
      const access = kbAccessOf(synthesis.template, kb(), synthesis.stack.email.intake);
      expect(access).toMatchObject({ s3: {}, kms: [], variable: undefined });
    });
  });

  it('leaves no cdk-nag finding unacknowledged', () => {
    expect(synthesis.findings).toEqual([]);
  });
});

/**
 * The Api on a route table of two: one route that declares kbIndexAccess, one that does not, so
 * the grant is tested whichever routes of ROUTES declare it.
 */
describe('Construct: Api (kbIndexAccess)', () => {
  type Route = NonNullable<ConstructorParameters<typeof Api>[2]['routes']>[number];
  /** A route of ROUTES (for its handler file) with kbIndexAccess as given, whatever ROUTES says. */
  const routeWith = (id: RouteId, kbIndexAccess?: string): Route => {
    const found: Route | undefined = ROUTES.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no route ${id}`);
    const { kbIndexAccess: _declared, ...route } = found;
    return (kbIndexAccess === undefined ? route : { ...route, kbIndexAccess }) as Route;
  };
  const readsIndex = routeWith('get-ticket', 'read');
  const plain = routeWith('update-ticket');

  const buildApi = (routes: Route[], withKnowledgeBase = true) => {
    const app = new App(appProps());
    const stack = new Stack(app, 'KbApiTest');
    const data = new Data(stack, 'Data');
    const auth = new Auth(stack, 'Auth', { domainPrefix: 'tierdesk-kb-test' });
    const knowledgeBase = withKnowledgeBase ? new KnowledgeBase(stack, 'KnowledgeBase') : undefined;
    const api = new Api(stack, 'Api', {
      table: data.table,
      userPool: auth.userPool,
      userPoolClients: [auth.client],
      corsOrigins: ['*'],
      throttleRateLimit: 10,
      throttleBurstLimit: 20,
      knowledgeBase,
      routes,
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return { app, stack, api, knowledgeBase };
  };

  let synthesis: Synthesis;
  let built: ReturnType<typeof buildApi>;
  let template: Template;
  beforeAll(() => {
    built = buildApi([readsIndex, plain]);
    synthesis = synthesize(built.app);
    template = synthesis.templateOf(built.stack);
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synthesis.dispose());

  const handlerOf = (id: RouteId) => {
    const handler = built.api.functions.get(id);
    if (!handler) throw new Error(`no handler for ${id}`);
    return handler;
  };
  const knowledgeBase = () => {
    if (!built.knowledgeBase) throw new Error('built without a knowledge base');
    return built.knowledgeBase;
  };
  const accessOf = (id: RouteId) => kbAccessOf(template, knowledgeBase(), handlerOf(id));

  it('lets the route that declares it get objects under kb/ (and list, for a 404), decrypt, and know the bucket', () => {
    const access = accessOf('get-ticket');
    expect(access.s3).toEqual({
      's3:GetObject': [`${access.bucket}/${KB_PREFIX}*`],
      's3:ListBucket': [access.bucket],
    });
    expect(access.kms).toEqual(['kms:Decrypt']);
    expect(access.variable).toEqual({ Ref: logicalId(knowledgeBase().bucket) });
    expect(access.memory).toBe(KB_INDEX_MEMORY_MB);
  });

  it('gives the route that does not declare it neither grant nor variable', () => {
    const access = accessOf('update-ticket');
    expect(access.s3).toEqual({});
    expect(access.kms).toEqual([]);
    expect(access.variable).toBeUndefined();
    expect(access.memory).toBe(512);
    expect(
      policyActions(template, logicalId(handlerOf('update-ticket').role)).filter((a) => a.startsWith('s3:')),
    ).toEqual([]);
  });

  it('leaves no cdk-nag finding unacknowledged', () => {
    expect(synthesis.findings).toEqual([]);
  });

  it('fails the synth on a kbIndexAccess it does not know, or with no knowledge base to grant', () => {
    expect(() => buildApi([routeWith('get-ticket', 'write')])).toThrow(
      "Route get-ticket: unknown kbIndexAccess 'write'.",
    );
    expect(() => buildApi([readsIndex], false)).toThrow(
      'Route get-ticket loads the search index, but the Api has no knowledge base.',
    );
  });
});
