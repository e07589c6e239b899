import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { corsPolicy } from '#shared/http/cors';
import { functionOf, handlerEntry, ROUTES, type RouteDefinition, type RouteId } from '#shared/http/routes';
import { OPS_JOB_RUNNER_VARIABLE } from '#shared/ops/config';
import { USER_POOL_VARIABLE } from '#shared/people/config';
import { TICKET_VARIABLES } from '#shared/tickets/config';
import type { AttachmentAccess } from './email.ts';
import { KB_INDEX_MEMORY_MB, type KnowledgeBase } from './knowledge-base.ts';
import { LambdaFunction } from './lambda-function.ts';
import type { Workflow } from './workflow.ts';

export interface ApiProps {
  table: ITable;
  userPool: IUserPool;
  /** The app clients whose ID tokens the API accepts (the token's `aud`). */
  userPoolClients: readonly IUserPoolClient[];
  /** Browser origins allowed to call the API (`*` for any). */
  corsOrigins: string[];
  /** Steady-state requests per second across the API. */
  throttleRateLimit: number;
  /** Requests the API absorbs in a spike above the rate. */
  throttleBurstLimit: number;
  /** The ticket workflow, for routes that declare `workflowAccess`. */
  workflow?: Workflow;
  /** The knowledge base's index bucket, for routes that declare `kbIndexAccess`. */
  knowledgeBase?: KnowledgeBase;
  /** Where attachment files are kept (the Email construct's bucket), for routes that declare `attachmentAccess`. */
  attachments?: { grantAttachments(fn: LambdaFunction, access: AttachmentAccess): void };
  /** The organization's mail domains: whom requesters may name as watchers (none when empty). */
  orgDomains?: readonly string[];
  /** The route table to build from: `ROUTES`, unless a test builds a smaller API. */
  routes?: readonly Route[];
}

type Route = RouteDefinition & { id: RouteId };

/**
 * The HTTP API, built from the route table: one Lambda function and one route per `ROUTES`
 * entry, each function granted exactly the table access its route declares (and, where the route
 * says so, reading of the workflow or of the knowledge base's search index, or attachment files).
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** The API's Lambda functions by name: a route's id, or the `fn` a group of routes shares. */
  readonly functions: ReadonlyMap<string, LambdaFunction>;

  /** The function that serves a route. */
  functionFor(route: RouteId): LambdaFunction {
    const definition = ROUTES.find((candidate) => candidate.id === route);
    const fn = definition && this.functions.get(functionOf(definition));
    if (!fn) throw new Error(`No function serves ${route}.`);
    return fn;
  }

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const routes = props.routes ?? ROUTES;
    const cors = corsPolicy(routes);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: Stack.of(this).stackName,
      description: 'Tierdesk HTTP API',
      // Our own default stage below carries access logs and throttling.
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: cors.allowMethods.map(
          (method) => CorsHttpMethod[method as keyof typeof CorsHttpMethod],
        ),
        allowHeaders: cors.allowHeaders,
        exposeHeaders: cors.exposeHeaders,
        // Tokens travel in the Authorization header, never in cookies: no credentialed requests.
        allowCredentials: false,
        maxAge: Duration.seconds(cors.maxAgeSeconds),
      },
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit, burstLimit: props.throttleBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: accessLogFormat(),
      },
    });

    const authorizers: Record<RouteDefinition['auth'], IHttpRouteAuthorizer> = {
      // A JWT authorizer that accepts ID tokens of these clients: they carry `email` and `cognito:groups`.
      jwt: new HttpUserPoolAuthorizer('CognitoAuthorizer', props.userPool, {
        userPoolClients: [...props.userPoolClients],
      }),
      none: new HttpNoneAuthorizer(),
    };

    // One Lambda function per function of the route table: a route's own, or the one a group of
    // routes shares (`fn`), granted the union of its routes' access.
    const functions = new Map<string, LambdaFunction>();
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const [name, served] of groupByFunction(routes)) {
      const knowledgeBase = served.map((route) => knowledgeBaseFor(route, props.knowledgeBase)).find(Boolean);
      const [first] = served as [Route, ...Route[]];
      const handler = new LambdaFunction(this, name, {
        entry: handlerEntry(first),
        description:
          served.length === 1
            ? `${first.method} ${first.path}: ${first.summary}`
            : `${served.length} routes: ${served.map((route) => `${route.method} ${route.path}`).join(', ')}`.slice(
                0,
                256,
              ),
        ...(knowledgeBase ? { memorySize: KB_INDEX_MEMORY_MB } : {}),
      });
      handler.bindTable({ table: props.table, access: widestTableAccess(served) });
      if (props.orgDomains?.length) {
        handler.fn.addEnvironment(TICKET_VARIABLES.orgDomains, props.orgDomains.join(','));
      }
      knowledgeBase?.grantReadIndex(handler);
      const reads = served.filter((route) => workflowAccess(route) !== undefined);
      for (const route of reads) {
        if (workflowAccess(route) !== 'read' && workflowAccess(route) !== 'operate')
          throw new Error(`Route ${route.id}: unknown workflowAccess '${workflowAccess(route)}'.`);
        if (!props.workflow) throw new Error(`Route ${route.id} reads the workflow, but the Api has none.`);
      }
      if (reads.some((route) => workflowAccess(route) === 'operate')) {
        props.workflow?.grantOperate(handler);
        // Jobs asked for over HTTP are run by the ops task function's schedule, not in the request.
        handler.fn.addEnvironment(OPS_JOB_RUNNER_VARIABLE, 'schedule');
      } else if (reads.length > 0) props.workflow?.grantRead(handler);
      const files = widestAttachmentAccess(served);
      if (files) {
        if (!props.attachments)
          throw new Error(`Function ${name} keeps attachment files, but the Api has no bucket.`);
        props.attachments.grantAttachments(handler, files);
      }
      const identity = served.find((route) => identityAccess(route) !== undefined);
      if (identity) grantIdentityAdmin(identity, handler, props.userPool);
      functions.set(name, handler);
      // One invoke permission per function for the whole API, not one per route: routes are
      // CloudFormation resources too, and the stack must stay under 500 of them.
      integrations.set(
        name,
        new HttpLambdaIntegration(`${name}-integration`, handler.fn, { scopePermissionToRoute: false }),
      );
    }
    for (const route of routes) {
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations.get(functionOf(route)) as HttpLambdaIntegration,
        authorizer: authorizers[route.auth],
      });
      if (route.auth === 'none' && httpRoute) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design in the route table (auth: 'none').`,
        });
      }
    }
    this.functions = functions;
  }

  get url(): string {
    return this.stage.url;
  }
}

/**
 * What a route's handler may do with ticket workflows (an optional route field): `read` = list a
 * ticket's executions and read their histories. Read defensively, since the route table's type
 * need not declare the field for routes to carry it.
 */
const workflowAccess = (route: RouteDefinition): string | undefined =>
  (route as { workflowAccess?: string }).workflowAccess;

/**
 * The people routes that keep the user pool in step with the directory (`identityAccess:
 * 'admin'`) may create, disable, enable a user and change their groups — on this pool only, and
 * no other route may. Read as a string like `workflowAccess`.
 */
const identityAccess = (route: RouteDefinition): string | undefined =>
  (route as { identityAccess?: string }).identityAccess;

const IDENTITY_ADMIN_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminListGroupsForUser',
];

const grantIdentityAdmin = (route: RouteDefinition, handler: LambdaFunction, userPool: IUserPool) => {
  const access = identityAccess(route);
  if (access !== 'admin') throw new Error(`Route ${route.id}: unknown identityAccess '${access}'.`);
  handler.fn.addToRolePolicy(
    new PolicyStatement({ actions: IDENTITY_ADMIN_ACTIONS, resources: [userPool.userPoolArn] }),
  );
  handler.fn.addEnvironment(USER_POOL_VARIABLE, userPool.userPoolId);
};

/**
 * The knowledge base whose search index a route's handler loads (`kbIndexAccess: 'read'`), or
 * none. The field is read as a string, like `workflowAccess`, so that a value this construct does
 * not know fails the synth instead of silently granting nothing.
 */
const knowledgeBaseFor = (
  route: RouteDefinition,
  knowledgeBase?: KnowledgeBase,
): KnowledgeBase | undefined => {
  const access = (route as { kbIndexAccess?: string }).kbIndexAccess;
  if (access === undefined) return undefined;
  if (access !== 'read') throw new Error(`Route ${route.id}: unknown kbIndexAccess '${access}'.`);
  if (!knowledgeBase)
    throw new Error(`Route ${route.id} loads the search index, but the Api has no knowledge base.`);
  return knowledgeBase;
};

/** Routes by the function that serves them, in route-table order. */
const groupByFunction = (routes: readonly Route[]): Map<string, Route[]> => {
  const groups = new Map<string, Route[]>();
  for (const route of routes)
    groups.set(functionOf(route), [...(groups.get(functionOf(route)) ?? []), route]);
  return groups;
};

/**
 * What a function may do with attachment files (`attachmentAccess`): the most any of its routes
 * needs (`serve` includes `check`), or nothing. Read as a string, like `workflowAccess`.
 */
const widestAttachmentAccess = (routes: readonly Route[]): AttachmentAccess | undefined => {
  const declared = routes.flatMap((route) => {
    const access = (route as { attachmentAccess?: string }).attachmentAccess;
    if (access === undefined) return [];
    if (access !== 'check' && access !== 'serve')
      throw new Error(`Route ${route.id}: unknown attachmentAccess '${access}'.`);
    return [access];
  });
  if (declared.length === 0) return undefined;
  return declared.includes('serve') ? 'serve' : 'check';
};

const TABLE_ACCESS_ORDER = ['none', 'read', 'readWrite'] as const;

/** What a shared function may do to the table: the most any of its routes needs. */
const widestTableAccess = (routes: readonly Route[]): RouteDefinition['tableAccess'] =>
  TABLE_ACCESS_ORDER[Math.max(...routes.map((route) => TABLE_ACCESS_ORDER.indexOf(route.tableAccess)))] ??
  'none';

/** One JSON object per request, with HTTP API variables only (REST API ones are not all defined here). */
const accessLogFormat = (): AccessLogFormat =>
  AccessLogFormat.custom(
    JSON.stringify({
      requestId: '$context.requestId',
      requestTime: '$context.requestTime',
      sourceIp: '$context.identity.sourceIp',
      userAgent: '$context.identity.userAgent',
      httpMethod: '$context.httpMethod',
      routeKey: '$context.routeKey',
      path: '$context.path',
      status: '$context.status',
      protocol: '$context.protocol',
      responseLength: '$context.responseLength',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integrationLatency',
      integrationStatus: '$context.integration.status',
      integrationError: '$context.integrationErrorMessage',
      authorizerError: '$context.authorizer.error',
      errorMessage: '$context.error.message',
    }),
  );
