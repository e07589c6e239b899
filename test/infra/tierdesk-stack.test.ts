import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSAT_SECRET_VARIABLE } from '#shared/csat/config';
import { GROUPS } from '#shared/domain/principal';
import { corsPolicy } from '#shared/http/cors';
import { functionOf, ROUTES, type RouteId } from '#shared/http/routes';
import { TICKET_ENTITY } from '#shared/store/entities';
import { clockFactsKey, deflectionMarkKey, mailQuarantineKey, presenceKey } from '#shared/store/keys';
import { createTableInput } from '#shared/store/table';
import { WORKFLOW_FUNCTIONS } from '#shared/workflow/definition';
import { matchesFilter } from '#test/support/event-filter';
import {
  DYNAMODB_WRITE_ACTIONS,
  logicalId,
  policyActions,
  SYNTH_TIMEOUT_MS,
  synthTierdesk,
  type TierdeskSynthesis,
} from './synth.ts';
import { allowStatementsOf, render, resourcesOfAction } from './template.ts';

/** Template assertions on the stack as the default context builds it (bundling skipped: see synth.ts). */
let synthesis: TierdeskSynthesis;
beforeAll(() => {
  synthesis = synthTierdesk();
}, SYNTH_TIMEOUT_MS);
afterAll(() => synthesis.dispose());

const only = (type: string) => {
  const resources = Object.entries(synthesis.template.findResources(type));
  expect(resources).toHaveLength(1);
  const [id, resource] = resources[0] ?? [];
  return { id: id as string, props: resource?.Properties };
};

const handlerOf = (routeId: RouteId) => {
  const handler = synthesis.stack.api.functionFor(routeId);
  return handler;
};

describe('Construct: Data', () => {
  it('creates the keys, attributes and GSIs exactly as TABLE defines them (and DynamoDB Local gets them)', () => {
    // Prepare
    const local = createTableInput('any');

    // Act
    const table = only('AWS::DynamoDB::Table').props;

    // Assess
    expect(table.KeySchema).toEqual(local.KeySchema);
    expect(table.AttributeDefinitions).toEqual(local.AttributeDefinitions);
    expect(table.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
  });

  it('bills on demand, with point-in-time recovery, deletion protection, TTL and a NEW_AND_OLD_IMAGES stream', () => {
    expect(only('AWS::DynamoDB::Table').props).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('encrypts the table with its customer-managed key, which rotates', () => {
    const keyId = logicalId(synthesis.stack.data.key);
    expect(only('AWS::DynamoDB::Table').props.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    synthesis.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('keeps the table and its key when the stack is deleted', () => {
    synthesis.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    expect(
      synthesis.template.findResources('AWS::KMS::Key')[logicalId(synthesis.stack.data.key)],
    ).toMatchObject({
      DeletionPolicy: 'Retain',
    });
  });
});

describe('Construct: Auth', () => {
  it('signs people in with their email address, verified, and keeps an unverified new address from counting', () => {
    expect(only('AWS::Cognito::UserPool').props).toMatchObject({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      Policies: { PasswordPolicy: { MinimumLength: 12 } },
      MfaConfiguration: 'OPTIONAL',
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('blocks leaked passwords and asks for MFA on risky sign-ins, for every app client', () => {
    expect(only('AWS::Cognito::UserPoolRiskConfigurationAttachment').props).toEqual({
      UserPoolId: { Ref: logicalId(synthesis.stack.auth.userPool) },
      ClientId: 'ALL',
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
      AccountTakeoverRiskConfiguration: {
        Actions: {
          LowAction: { EventAction: 'NO_ACTION', Notify: false },
          MediumAction: { EventAction: 'MFA_IF_CONFIGURED', Notify: false },
          HighAction: { EventAction: 'MFA_REQUIRED', Notify: false },
        },
      },
    });
  });

  it('creates one Cognito group per GROUPS entry', () => {
    const groups = Object.values(synthesis.template.findResources('AWS::Cognito::UserPoolGroup'));
    expect(groups.map((group) => group.Properties.GroupName).sort()).toEqual([...GROUPS].sort());
  });

  it('has an app client without a secret, for SRP and password sign-in, that cannot change the email', () => {
    const client = synthesis.template.findResources('AWS::Cognito::UserPoolClient')[
      logicalId(synthesis.stack.auth.client)
    ]?.Properties;
    expect(client).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: false,
      WriteAttributes: ['name'],
    });
    expect(client.ExplicitAuthFlows.sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
  });
});

describe('Construct: Api', () => {
  it('creates one function per route (or per group of routes that share one), each on Node.js 24, arm64, with active tracing', () => {
    // Assess: the route table's functions, and every function in the stack
    expect([...synthesis.stack.api.functions.keys()]).toEqual([...new Set(ROUTES.map(functionOf))]);
    const functions = synthesis.template.findResources('AWS::Lambda::Function');
    for (const route of ROUTES) expect(functions[logicalId(handlerOf(route.id).fn)]).toBeDefined();
    // Every function but CDK's own bucket deployment handler (the console's deploy, in Python).
    const deployment = Object.keys(functions).filter((id) => id.startsWith('CustomCDKBucketDeployment'));
    expect(deployment).toHaveLength(1);
    for (const [id, fn] of Object.entries(functions).filter(([id]) => !deployment.includes(id))) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it("routes every ROUTES entry to its own function, behind the JWT authorizer unless auth is 'none'", () => {
    // Prepare
    const authorizerId = only('AWS::ApiGatewayV2::Authorizer').id;
    const routes = Object.values(synthesis.template.findResources('AWS::ApiGatewayV2::Route'));
    const integrations = synthesis.template.findResources('AWS::ApiGatewayV2::Integration');
    expect(routes).toHaveLength(ROUTES.length);

    for (const route of ROUTES) {
      // Act
      const found = routes.find(
        (resource) => resource.Properties.RouteKey === `${route.method} ${route.path}`,
      );

      // Assess
      expect(found, route.id).toBeDefined();
      const props = found?.Properties;
      if (route.auth === 'jwt') {
        expect(props, route.id).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: authorizerId },
        });
      } else {
        expect(props.AuthorizationType, route.id).toBe('NONE');
        expect(props.AuthorizerId, route.id).toBeUndefined();
      }
      const integrationId = props.Target['Fn::Join'][1][1].Ref;
      expect(integrations[integrationId]?.Properties.IntegrationUri, route.id).toEqual({
        'Fn::GetAtt': [logicalId(handlerOf(route.id).fn), 'Arn'],
      });
    }
  });

  it("accepts ID tokens of the CLI's and the console's app clients from the Authorization header", () => {
    const { props } = only('AWS::ApiGatewayV2::Authorizer');
    const clients = Object.keys(synthesis.template.findResources('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(2);
    expect(props).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: clients.map((id) => ({ Ref: id })),
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.amazonaws.com/',
              { Ref: logicalId(synthesis.stack.auth.userPool) },
            ],
          ],
        },
      },
    });
  });

  it("gives the functions of 'read' routes no write action and those of 'readWrite' routes the writes", () => {
    for (const route of ROUTES) {
      // Act
      const actions = policyActions(synthesis.template, logicalId(handlerOf(route.id).role));
      const writes = actions.filter((action) => DYNAMODB_WRITE_ACTIONS.includes(action));
      const tableActions = actions.filter((action) => action.startsWith('dynamodb:'));

      // Assess: a function shared by routes may do what the most demanding of them needs
      const shared = ROUTES.filter((other) => functionOf(other) === functionOf(route));
      const access = shared.some((other) => other.tableAccess === 'readWrite')
        ? 'readWrite'
        : shared.some((other) => other.tableAccess === 'read')
          ? 'read'
          : 'none';
      switch (access) {
        case 'none':
          expect(tableActions, route.id).toEqual([]);
          break;
        case 'read':
          expect(tableActions, route.id).toContain('dynamodb:Query');
          expect(writes, route.id).toEqual([]);
          break;
        case 'readWrite':
          expect(writes, route.id).toEqual(
            expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
          );
          break;
      }
    }
  });

  it('tells each function with table access the table name, and only those', () => {
    const functions = synthesis.template.findResources('AWS::Lambda::Function');
    for (const route of ROUTES) {
      const variables = functions[logicalId(handlerOf(route.id).fn)]?.Properties.Environment?.Variables ?? {};
      expect(variables.TABLE_NAME, route.id).toEqual(
        route.tableAccess === 'none' ? undefined : { Ref: logicalId(synthesis.stack.data.table) },
      );
    }
  });

  it('logs every request of the default stage as JSON to a log group with retention, and throttles', () => {
    const accessLogs = logicalId(synthesis.stack.api.accessLogs);
    const { props } = only('AWS::ApiGatewayV2::Stage');
    expect(props).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [accessLogs, 'Arn'] } },
    });
    expect(JSON.parse(props.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
    expect(
      synthesis.template.findResources('AWS::Logs::LogGroup')[accessLogs]?.Properties.RetentionInDays,
    ).toBe(30);
  });

  it("answers CORS preflights from the console's origin alone, for the route table's methods and headers, without credentials", () => {
    const cors = corsPolicy(ROUTES);
    const { CorsConfiguration } = only('AWS::ApiGatewayV2::Api').props;
    expect(CorsConfiguration.AllowOrigins.map(render)).toEqual([
      `https://<${logicalId(synthesis.stack.console.distribution)}.DomainName>`,
    ]);
    expect(CorsConfiguration).toMatchObject({
      AllowMethods: cors.allowMethods,
      AllowHeaders: cors.allowHeaders,
      ExposeHeaders: cors.exposeHeaders,
      AllowCredentials: false,
      MaxAge: cors.maxAgeSeconds,
    });
  });

  it('grants API Gateway one invoke permission per function, for this API only', () => {
    const permissions = Object.values(synthesis.template.findResources('AWS::Lambda::Permission')).filter(
      (permission) => permission.Properties.Principal === 'apigateway.amazonaws.com',
    );
    expect(permissions).toHaveLength(synthesis.stack.api.functions.size);
    for (const permission of permissions) {
      expect(render(permission.Properties.SourceArn)).toBe(
        `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${logicalId(synthesis.stack.api.httpApi)}>/*/*/*`,
      );
    }
  });
});

describe('Construct: Observability', () => {
  it('encrypts the alarm topic with a key CloudWatch may use, and requires TLS to publish', () => {
    const topic = only('AWS::SNS::Topic');
    const keyId = topic.props.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(synthesis.template.findResources('AWS::KMS::Key')[keyId]?.Properties.KeyPolicy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        }),
      ]),
    );
    synthesis.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic.id }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('alarms on API 5xx and on errors and throttles of every handler, notifying the topic both ways', () => {
    // Prepare
    const topic = { Ref: only('AWS::SNS::Topic').id };
    const alarms = Object.values(synthesis.template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties,
    );
    const alarmsOn = (metricName: string, dimension: unknown) =>
      alarms.filter(
        (alarm) =>
          alarm.MetricName === metricName &&
          JSON.stringify(alarm.Dimensions).includes(JSON.stringify(dimension)),
      );

    // Assess
    expect(alarmsOn('5xx', { Ref: logicalId(synthesis.stack.api.httpApi) })).toHaveLength(1);
    for (const route of ROUTES) {
      const fn = { Ref: logicalId(handlerOf(route.id).fn) };
      expect(alarmsOn('Errors', fn), route.id).toHaveLength(1);
      expect(alarmsOn('Throttles', fn), route.id).toHaveLength(1);
    }
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.OKActions).toEqual([topic]);
    }
  });

  it('has a dashboard', () => {
    synthesis.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('shows the report figures the stream processor publishes: backlog, breaches, FCR, CSAT', () => {
    // Act: the dashboard body, with its intrinsic references rendered as text
    const body = render(only('AWS::CloudWatch::Dashboard').props.DashboardBody);
    const widgets = (
      JSON.parse(body.replace(/<[^>]+>/g, 'x')) as { widgets: { properties: Record<string, unknown> }[] }
    ).widgets.map((widget) => widget.properties);
    const titled = (title: string) => widgets.find((widget) => widget.title === title);

    // Assess
    for (const title of [
      'Backlog: in and out',
      'Service-level breaches (SLA, OLA, UC)',
      'First-contact resolution (%)',
      'CSAT (1–5) and answers',
    ])
      expect(titled(title), title).toBeDefined();
    const metricsOf = (title: string) => JSON.stringify(titled(title)?.metrics);
    for (const name of ['ReportCreated', 'ReportReopened', 'ReportResolved'])
      expect(metricsOf('Backlog: in and out')).toContain(`"Tierdesk","${name}","service","tierdesk"`);
    expect(metricsOf('Backlog: in and out')).toContain('created + reopened - resolved');
    expect(metricsOf('Service-level breaches (SLA, OLA, UC)')).toContain('"ReportBreaches"');
    expect(metricsOf('First-contact resolution (%)')).toContain('100 * fcr / resolved');
    expect(metricsOf('First-contact resolution (%)')).toContain('"ReportFirstContactResolved"');
    // The average (the widget's default statistic) is the score; the sample count, the answers
    expect(metricsOf('CSAT (1–5) and answers')).toMatch(
      /"ReportCsatScore","service","tierdesk",\{"label":"average score","period":86400\}.*"ReportCsatScore".*"stat":"SampleCount"/,
    );
  });
});

describe('Construct: Events', () => {
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
  const record = (eventName: string, item: Record<string, string>) => ({
    eventName,
    dynamodb: {
      Keys: { pk: { S: item.pk }, sk: { S: item.sk } },
      NewImage: Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: value }])),
    },
  });
  const wakes = (candidate: unknown) => patterns().some((pattern) => matchesFilter(pattern, candidate));

  it('lets the stream processor write the report cells and their marks (read-write on the table)', () => {
    // Act
    const actions = policyActions(synthesis.template, logicalId(processor().role));

    // Assess
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      ]),
    );
  });

  it('wakes the stream processor for a quarantined mail and a counted deflection, inserted, and not when they expire', () => {
    // Prepare: items shaped like the mail store and the knowledge base write them
    const quarantined = {
      ...mailQuarantineKey('2026-11-23T09:00:00.000Z', 'inbound/abc'),
      entity: 'mailQuarantine',
      reason: 'refused',
      at: '2026-11-23T09:00:00.000Z',
    };
    const deflection = {
      ...deflectionMarkKey('kb-vpn-connect', '2026-11-23', 'ann@example.com'),
      entity: 'deflection_mark',
    };

    // Assess
    expect(wakes(record('INSERT', quarantined))).toBe(true);
    expect(wakes(record('INSERT', deflection))).toBe(true);
    expect(wakes(record('MODIFY', quarantined))).toBe(false);
    expect(wakes(record('REMOVE', deflection))).toBe(false);
    expect(patterns()).toEqual(
      expect.arrayContaining([
        { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['mailQuarantine'] } } } },
        { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['deflection_mark'] } } } },
      ]),
    );
  });
});

describe('Presence and attachments (the console routes)', () => {
  const presence = { ...presenceKey(1042, 'tina@example.com'), entity: 'presence', state: 'viewing' };
  const streamRecord = (eventName: string, image: 'NewImage' | 'OldImage') => ({
    eventName,
    dynamodb: {
      Keys: { pk: { S: presence.pk }, sk: { S: presence.sk } },
      [image]: Object.fromEntries(Object.entries(presence).map(([name, value]) => [name, { S: value }])),
    },
  });
  const filtersOf = (fn: IConstruct) =>
    Object.values(synthesis.template.findResources('AWS::Lambda::EventSourceMapping'))
      .filter(
        (resource) =>
          JSON.stringify(resource.Properties.FunctionName) === JSON.stringify({ Ref: logicalId(fn) }),
      )
      .flatMap((resource) =>
        resource.Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) =>
          JSON.parse(filter.Pattern),
        ),
      ) as unknown[];

  it('no stream consumer wakes for a presence item: written, renewed or expired by TTL', () => {
    // Prepare: both mappings on the table's stream
    const patterns = [
      ...filtersOf(synthesis.stack.events.processor.fn),
      ...filtersOf(synthesis.stack.email.mailer.fn),
    ];
    expect(patterns.length).toBeGreaterThan(1);

    // Assess
    for (const [eventName, image] of [
      ['INSERT', 'NewImage'],
      ['MODIFY', 'NewImage'],
      ['MODIFY', 'OldImage'],
      ['REMOVE', 'OldImage'],
    ] as const) {
      const record = streamRecord(eventName, image);
      expect(
        patterns.filter((pattern) => matchesFilter(pattern, record)),
        `${eventName} ${image}`,
      ).toEqual([]);
    }
  });

  it("no stream consumer wakes for a ticket's clock facts item (the ticket item's change does)", () => {
    const facts = { ...clockFactsKey(1042, 7), entity: TICKET_ENTITY.clockFacts };
    const record = {
      eventName: 'INSERT',
      dynamodb: {
        Keys: { pk: { S: facts.pk }, sk: { S: facts.sk } },
        NewImage: {
          ...Object.fromEntries(Object.entries(facts).map(([name, value]) => [name, { S: value }])),
          facts: { L: [{ M: { type: { S: 'requester_message' }, at: { S: '2026-11-20T10:00:00.000Z' } } }] },
        },
      },
    };
    const patterns = [
      ...filtersOf(synthesis.stack.events.processor.fn),
      ...filtersOf(synthesis.stack.email.mailer.fn),
    ];
    expect(patterns.filter((pattern) => matchesFilter(pattern, record))).toEqual([]);
  });

  it('lets the console function presign uploads under uploads/ and downloads of uploads and mail attachments, the comment function only check uploads', () => {
    // Prepare
    const bucket = logicalId(synthesis.stack.email.bucket);
    const consoleRole = logicalId(handlerOf('get-attachment').role);
    const commentRole = logicalId(handlerOf('add-comment').role);
    const objects = (role: string, action: string) =>
      resourcesOfAction(synthesis.template, role, action).map(render).sort();

    // Assess
    expect(objects(consoleRole, 's3:PutObject')).toEqual([`<${bucket}.Arn>/uploads/*`]);
    expect(objects(consoleRole, 's3:GetObject')).toEqual([
      `<${bucket}.Arn>/attachments/*`,
      `<${bucket}.Arn>/uploads/*`,
    ]);
    expect(objects(commentRole, 's3:GetObject')).toEqual([`<${bucket}.Arn>/uploads/*`]);
    expect(objects(commentRole, 's3:PutObject')).toEqual([]);
    // A HEAD reads no content: the comment function may not decrypt files (the console's may).
    const mailKey = logicalId(synthesis.stack.email.key);
    expect(resourcesOfAction(synthesis.template, commentRole, 'kms:Decrypt').map(render)).not.toContain(
      `<${mailKey}.Arn>`,
    );
    expect(resourcesOfAction(synthesis.template, consoleRole, 'kms:Decrypt').map(render)).toContain(
      `<${mailKey}.Arn>`,
    );
    // Every other API function: nothing of the mail bucket.
    const others = [...synthesis.stack.api.functions.values()].filter(
      (handler) => ![consoleRole, commentRole].includes(logicalId(handler.role)),
    );
    for (const handler of others)
      expect(JSON.stringify(allowStatementsOf(synthesis.template, logicalId(handler.role)))).not.toContain(
        bucket,
      );
  });

  it('lets the console origins post uploads to the mail bucket (CORS)', () => {
    const [, mailBucket] =
      Object.entries(synthesis.template.findResources('AWS::S3::Bucket')).find(
        ([id]) => id === logicalId(synthesis.stack.email.bucket),
      ) ?? [];
    const rules = mailBucket?.Properties.CorsConfiguration.CorsRules;
    expect(rules?.[0]?.AllowedOrigins.map(render)).toEqual([
      `https://<${logicalId(synthesis.stack.console.distribution)}.DomainName>`,
    ]);
    expect(mailBucket?.Properties.CorsConfiguration).toMatchObject({
      CorsRules: [
        {
          AllowedMethods: ['POST', 'GET'],
          AllowedHeaders: ['*'],
          ExposedHeaders: ['ETag'],
          MaxAge: 3000,
        },
      ],
    });
  });
});

describe('Construct: SurveyKeys', () => {
  const secretReaders = () =>
    Object.values(synthesis.template.findResources('AWS::IAM::Policy'))
      .filter((policy) =>
        (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).some((statement) =>
          [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
        ),
      )
      .flatMap((policy) => policy.Properties.Roles as { Ref: string }[])
      .map((role) => role.Ref)
      .sort();
  const signers = () =>
    [synthesis.stack.email.mailer, synthesis.stack.api.functionFor('post-csat-page')]
      .map((handler) => logicalId(handler.role))
      .sort();

  it('keeps the survey link key in a generated secret encrypted with its own rotating key', () => {
    // Act
    const secret = only('AWS::SecretsManager::Secret').props;

    // Assess
    expect(secret).toMatchObject({
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      KmsKeyId: { 'Fn::GetAtt': [logicalId(synthesis.stack.surveyKeys.key), 'Arn'] },
    });
    expect(
      synthesis.template.findResources('AWS::KMS::Key')[logicalId(synthesis.stack.surveyKeys.key)]
        ?.Properties,
    ).toMatchObject({ EnableKeyRotation: true });
  });

  it('lets exactly the functions that sign or verify survey links read it: GetSecretValue on that secret only', () => {
    // Assess: the mailer signs, the survey function verifies; nothing else reads secrets
    expect(secretReaders()).toEqual(signers());
    const secret = { Ref: logicalId(synthesis.stack.surveyKeys.secret) };
    for (const role of signers()) {
      const statements = allowStatementsOf(synthesis.template, role);
      const reads = statements.filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
      );
      expect(reads).toEqual([
        expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: secret }),
      ]);
      const decrypt = statements.filter((statement) => statement.Action === 'kms:Decrypt');
      expect(decrypt.map((statement) => statement.Resource)).toContainEqual({
        'Fn::GetAtt': [logicalId(synthesis.stack.surveyKeys.key), 'Arn'],
      });
      const surveyKeyDecrypt = decrypt.find((statement) =>
        JSON.stringify(statement.Resource).includes(logicalId(synthesis.stack.surveyKeys.key)),
      );
      expect(render(surveyKeyDecrypt?.Condition?.StringEquals?.['kms:ViaService'])).toBe(
        'secretsmanager.<AWS::Region>.amazonaws.com',
      );
    }
  });

  it('names the secret in the environment of those functions, and only theirs', () => {
    const functions = synthesis.template.findResources('AWS::Lambda::Function');
    const naming = Object.entries(functions)
      .filter(([, fn]) => fn.Properties.Environment?.Variables?.[CSAT_SECRET_VARIABLE] !== undefined)
      .map(([id]) => id)
      .sort();
    expect(naming).toEqual(
      [synthesis.stack.email.mailer, synthesis.stack.api.functionFor('post-csat-page')]
        .map((handler) => logicalId(handler.fn))
        .sort(),
    );
    expect(functions[naming[0] as string]?.Properties.Environment.Variables[CSAT_SECRET_VARIABLE]).toEqual({
      Ref: logicalId(synthesis.stack.surveyKeys.secret),
    });
  });
});

describe('Stack: TierdeskStack', () => {
  it('outputs the console URL, the API URL, user pool and client ids, table name, alarm topic, workflow and function ARNs, buckets', () => {
    const outputs = synthesis.template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AlarmTopicArn',
        'ApiUrl',
        'ConsoleUrl',
        'ConsoleClientId',
        'TableName',
        'UserPoolClientId',
        'UserPoolId',
        'WorkflowArn',
        ...Object.keys(WORKFLOW_FUNCTIONS),
        'StreamProcessorFunctionArn',
        'KbBucketName',
        'MailBucketName',
        'MailReceiptRuleSetName',
        'MailDomainIdentity',
        'MailIntakeFunctionArn',
        'MailerFunctionArn',
        'OpsTasksFunctionArn',
        'MailDkimRecord1',
        'MailDkimRecord2',
        'MailDkimRecord3',
        'MailMxRecord',
      ].sort(),
    );
    expect(outputs.TableName?.Value).toEqual({ Ref: logicalId(synthesis.stack.data.table) });
    expect(outputs.UserPoolClientId?.Value).toEqual({ Ref: logicalId(synthesis.stack.auth.client) });
  });

  it('tells how to activate the receipt rule set, and which DNS records to add without a hosted zone', () => {
    const outputs = synthesis.template.findOutputs('*');
    expect(outputs.MailReceiptRuleSetName).toMatchObject({
      Value: 'Tierdesk-dev-mail',
      Description: 'Activate once: aws ses set-active-receipt-rule-set --rule-set-name Tierdesk-dev-mail',
    });
    expect(render(outputs.MailMxRecord?.Value)).toBe(
      'example.com MX 10 inbound-smtp.<AWS::Region>.amazonaws.com',
    );
    const identity = logicalId(synthesis.stack.email.identity);
    expect([1, 2, 3].map((n) => render(outputs[`MailDkimRecord${n}`]?.Value))).toEqual(
      [1, 2, 3].map((n) => `<${identity}.DkimDNSTokenName${n}> CNAME <${identity}.DkimDNSTokenValue${n}>`),
    );
  });

  it('alarms on errors of the mail functions and on any message in their failure queues', () => {
    const alarms = Object.values(synthesis.template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties,
    );
    const on = (metricName: string, dimension: unknown) =>
      alarms.filter(
        (alarm) =>
          alarm.MetricName === metricName &&
          JSON.stringify(alarm.Dimensions).includes(JSON.stringify(dimension)),
      );
    for (const fn of [synthesis.stack.email.intake.fn, synthesis.stack.email.mailer.fn]) {
      expect(on('Errors', { Ref: logicalId(fn) })).toHaveLength(1);
    }
    for (const queue of [synthesis.stack.email.mailerDeadLetterQueue, synthesis.stack.email.intakeFailures]) {
      expect(
        on('ApproximateNumberOfMessagesVisible', { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] }),
      ).toEqual([
        expect.objectContaining({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }),
      ]);
    }
  });

  it('is environment-agnostic and named after the default stage', () => {
    expect(synthesis.stack.stackName).toBe('Tierdesk-dev');
    expect(synthesis.stack.environment).toBe('aws://unknown-account/unknown-region');
  });
});

describe('Stack: TierdeskStack context parameters', () => {
  let custom: TierdeskSynthesis;
  beforeAll(() => {
    custom = synthTierdesk({
      context: {
        stage: 'prod',
        alarmEmail: 'oncall@example.com',
        corsOrigins: 'https://desk.example.com, https://admin.example.com',
        throttleRateLimit: '20',
        throttleBurstLimit: '40',
        supportAddresses: 'help@desk.example.org, it@desk.example.org',
        hostedZoneId: 'Z0123456789',
        hostedZoneName: 'example.org.',
        rawMailRetentionDays: '30',
        attachmentRetentionDays: '400',
        dailyAutomaticMailCap: '5',
        orgDomains: 'Example.org, example.com',
      },
    });
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => custom.dispose());

  it('names the stack after stage', () => {
    expect(custom.stack.stackName).toBe('Tierdesk-prod');
  });

  it('subscribes alarmEmail to the alarm topic', () => {
    custom.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
    synthesis.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('allows the corsOrigins and throttles at the given rate and burst', () => {
    custom.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowOrigins: ['https://desk.example.com', 'https://admin.example.com'] },
    });
    custom.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });

  it('receives mail for supportAddresses and verifies their domain, with DNS records in the hosted zone', () => {
    custom.template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: { Recipients: ['help@desk.example.org', 'it@desk.example.org'] },
    });
    custom.template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'desk.example.org' });
    custom.template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'MX',
      Name: 'desk.example.org.',
      HostedZoneId: 'Z0123456789',
    });
    const outputs = Object.keys(custom.template.findOutputs('*'));
    expect(outputs.filter((name) => /^Mail(Dkim|Mx)/.test(name))).toEqual([]);
  });

  it('applies the mail retention days and the daily cap of automatic mail', () => {
    custom.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'inbound/', ExpirationInDays: 30 }),
          Match.objectLike({ Prefix: 'attachments/', ExpirationInDays: 400 }),
        ]),
      },
    });
    const mailer =
      custom.template.findResources('AWS::Lambda::Function')[logicalId(custom.stack.email.mailer.fn)];
    expect(mailer?.Properties.Environment.Variables.TIERDESK_DAILY_AUTOMATIC_MAIL_CAP).toBe('5');
  });

  it("tells the API functions the organization's mail domains (whom requesters may copy), only when set", () => {
    const environment = (of: TierdeskSynthesis) =>
      of.template.findResources('AWS::Lambda::Function')[
        logicalId(of.stack.api.functions.get('create-ticket')?.fn as IConstruct)
      ]?.Properties.Environment.Variables;
    expect(environment(custom).TIERDESK_ORG_DOMAINS).toBe('example.org,example.com');
    expect(environment(synthesis).TIERDESK_ORG_DOMAINS).toBeUndefined();
    expect(() => synthTierdesk({ context: { orgDomains: 'example.com, not a domain' } })).toThrow(
      "The organization's mail domains must be domains (example.com,example.org), not not a domain.",
    );
  });

  it('rejects mail settings that cannot work', () => {
    expect(() => synthTierdesk({ context: { hostedZoneId: 'Z0123456789' } })).toThrow(
      'Context hostedZoneId and hostedZoneName go together: set both or neither.',
    );
    expect(() => synthTierdesk({ context: { rawMailRetentionDays: '0' } })).toThrow(
      "Context rawMailRetentionDays must be a whole number ≥ 1, got '0'.",
    );
    expect(() => synthTierdesk({ context: { dailyAutomaticMailCap: 'many' } })).toThrow(
      "Context dailyAutomaticMailCap must be a whole number ≥ 0, got 'many'.",
    );
    expect(() => synthTierdesk({ context: { supportAddresses: ' , ' } })).toThrow(
      'Context supportAddresses must name at least one address.',
    );
  });

  it('rejects a throttle that is not a positive number', () => {
    expect(() => synthTierdesk({ context: { throttleRateLimit: 'fast' } })).toThrow(
      "Context throttleRateLimit must be a positive number, got 'fast'.",
    );
  });
});
