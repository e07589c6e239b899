import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '#shared/http/console-headers';
import { CONSOLE_URL_VARIABLE } from '#shared/kb/config';
import { logicalId, SYNTH_TIMEOUT_MS, synthTierdesk, type TierdeskSynthesis } from './synth.ts';
import { render } from './template.ts';

/** The web console on AWS, as the default context builds it (bundling skipped: see synth.ts). */
let synthesis: TierdeskSynthesis;
beforeAll(() => {
  synthesis = synthTierdesk();
}, SYNTH_TIMEOUT_MS);
afterAll(() => synthesis.dispose());

const resourcesOf = (type: string) => synthesis.template.findResources(type);
const propsOf = (type: string, construct: Parameters<typeof logicalId>[0]) =>
  resourcesOf(type)[logicalId(construct)]?.Properties;

const distribution = () =>
  propsOf('AWS::CloudFront::Distribution', synthesis.stack.console.distribution).DistributionConfig;
const distributionId = () => logicalId(synthesis.stack.console.distribution);
const consoleOrigin = () => `https://<${distributionId()}.DomainName>`;
const signInDomain = () =>
  `https://<${logicalId(synthesis.stack.auth.domain)}>.auth.<AWS::Region>.amazoncognito.com`;

/** The two deployments of the console's files: the hashed assets, then index.html and config.json. */
const deployments = () => {
  const found = Object.entries(resourcesOf('Custom::CDKBucketDeployment'));
  const assets = found.find(([id]) => id.startsWith('ConsoleAssets'))?.[1].Properties;
  const index = found.find(([id]) => id.startsWith('ConsoleIndex'))?.[1];
  expect(found).toHaveLength(2);
  return { assets, index };
};

describe('Construct: Console', () => {
  it('keeps the files in a private, encrypted, TLS-only bucket without website hosting', () => {
    const bucket = propsOf('AWS::S3::Bucket', synthesis.stack.console.bucket);
    expect(bucket).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: {} }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(bucket.WebsiteConfiguration).toBeUndefined();
  });

  it('lets only this distribution read the files, through origin access control; nobody else, and no plain HTTP', () => {
    // Prepare
    const bucketId = logicalId(synthesis.stack.console.bucket);
    const policy = Object.values(resourcesOf('AWS::S3::BucketPolicy')).find(
      (candidate) => candidate.Properties.Bucket.Ref === bucketId,
    )?.Properties.PolicyDocument.Statement as Record<string, unknown>[];
    const [origin] = distribution().Origins;

    // Assess: the origin signs its requests with the OAC, and has no origin access identity
    const oacId = origin.OriginAccessControlId['Fn::GetAtt'][0];
    expect(resourcesOf('AWS::CloudFront::OriginAccessControl')[oacId]?.Properties).toEqual({
      OriginAccessControlConfig: expect.objectContaining({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });

    // Assess: the policy allows CloudFront's service, for this distribution, to read objects;
    // every other statement denies
    const allows = policy.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
    });
    expect(
      render(
        (allows[0]?.Condition as Record<string, Record<string, unknown>> | undefined)?.StringEquals?.[
          'AWS:SourceArn'
        ],
      ),
    ).toBe(`arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${distributionId()}>`);
    expect(policy).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('serves index.html at the root and for every path the app routes in the browser, HTTPS only', () => {
    expect(distribution()).toMatchObject({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: {
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        Compress: true,
      },
    });
    expect(distribution().CustomErrorResponses).toEqual(
      [403, 404].map((code) =>
        expect.objectContaining({ ErrorCode: code, ResponseCode: 200, ResponsePagePath: '/index.html' }),
      ),
    );
  });

  it("sends the console's strict Content-Security-Policy, HSTS for two years with preload, and no framing or sniffing", () => {
    const policyId = distribution().DefaultCacheBehavior.ResponseHeadersPolicyId.Ref;
    const config = resourcesOf('AWS::CloudFront::ResponseHeadersPolicy')[policyId]?.Properties
      .ResponseHeadersPolicyConfig;
    const security = config.SecurityHeadersConfig;
    expect(render(security.ContentSecurityPolicy.ContentSecurityPolicy)).toBe(
      contentSecurityPolicy({
        connect: [
          'https://*.execute-api.<AWS::Region>.<AWS::URLSuffix>',
          'https://*.s3.<AWS::Region>.<AWS::URLSuffix>',
          'https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>',
          signInDomain(),
        ],
        forms: [signInDomain()],
      }),
    );
    expect(security).toMatchObject({
      ContentSecurityPolicy: { Override: true },
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 2 * 365 * 24 * 3600,
        IncludeSubdomains: true,
        Preload: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
    });
  });

  it('deploys the hashed assets for a year (never pruned, first), then index.html and config.json read afresh', () => {
    const { assets, index } = deployments();
    expect(assets).toMatchObject({
      Include: ['assets/*'],
      Exclude: ['*'],
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(index?.Properties).toMatchObject({
      Exclude: ['assets/*', 'meta.json'],
      Prune: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(index?.DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^ConsoleAssetsCustomResource/)]),
    );
    // Both deploy the same build
    expect(index?.Properties.SourceObjectKeys[0]).toBe(assets.SourceObjectKeys[0]);
  });

  it('writes config.json at deploy time: the API, the user pool as OIDC issuer, the console client, the logout endpoint', () => {
    // Prepare: the settings file, its deploy-time values as markers
    const { index } = deployments();
    const [, configKey] = (index?.Properties.SourceObjectKeys ?? []) as string[];
    const markers = index?.Properties.SourceMarkers[1] as Record<string, unknown>;
    const text = readFileSync(
      join(synthesis.directory, `asset.${configKey?.replace(/\.zip$/, '')}`, 'config.json'),
      'utf8',
    );

    // Act
    const settings = JSON.parse(text.replace(/<<marker:0xbaba:\d+>>/g, (marker) => render(markers[marker])));

    // Assess
    expect(settings).toEqual({
      apiUrl: `<${logicalId(synthesis.stack.api.httpApi)}.ApiEndpoint>`,
      auth: {
        kind: 'oidc',
        authority: `https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>/<${logicalId(synthesis.stack.auth.userPool)}>`,
        clientId: `<${consoleClientId()}>`,
        logoutUrl: `${signInDomain()}/logout`,
      },
      deskName: 'Tierdesk',
    });
  });

  it('has a managed login domain and a console client: code grant with PKCE (no secret), OpenID scopes, back to the console', () => {
    expect(render(propsOf('AWS::Cognito::UserPoolDomain', synthesis.stack.auth.domain).Domain)).toBe(
      'tierdesk-dev-<AWS::AccountId>',
    );
    const client = resourcesOf('AWS::Cognito::UserPoolClient')[consoleClientId()]?.Properties;
    expect(client).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(client.CallbackURLs.map(render)).toEqual([`${consoleOrigin()}/auth/callback`]);
    expect(client.LogoutURLs.map(render)).toEqual([`${consoleOrigin()}/`]);
    // Minutes: an hour's ID tokens, renewed by the refresh token for a working day at most
    expect(client).toMatchObject({ IdTokenValidity: 60, RefreshTokenValidity: 720 });
  });

  it("tells the mailer the console's address, for the links in mail, and outputs it as ConsoleUrl", () => {
    const mailer = propsOf('AWS::Lambda::Function', synthesis.stack.email.mailer.fn);
    expect(render(mailer.Environment.Variables[CONSOLE_URL_VARIABLE])).toBe(consoleOrigin());
    expect(render(synthesis.template.findOutputs('ConsoleUrl').ConsoleUrl?.Value)).toBe(consoleOrigin());
  });
});

/** The console client's logical id: the pool's client that is not the CLI's. */
const consoleClientId = (): string => {
  const ids = Object.keys(resourcesOf('AWS::Cognito::UserPoolClient')).filter(
    (id) => id !== logicalId(synthesis.stack.auth.client),
  );
  expect(ids).toHaveLength(1);
  return ids[0] as string;
};

describe('Construct: Console, with a domain of its own', () => {
  let custom: TierdeskSynthesis;
  const certificateArn =
    'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100';
  beforeAll(() => {
    custom = synthTierdesk({
      context: {
        consoleDomainName: 'desk.example.com',
        consoleCertificateArn: certificateArn,
        signInDomainPrefix: 'example-desk',
        deskName: 'Example IT',
      },
    });
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => custom.dispose());

  it('serves the console on that domain with TLS 1.2 at least, and names it in CORS and the callback', () => {
    const config = Object.values(custom.template.findResources('AWS::CloudFront::Distribution'))[0]
      ?.Properties.DistributionConfig;
    expect(config).toMatchObject({
      Aliases: ['desk.example.com'],
      ViewerCertificate: {
        AcmCertificateArn: certificateArn,
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
    });
    custom.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowOrigins: ['https://desk.example.com'] },
    });
    custom.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://desk.example.com/auth/callback'],
    });
    custom.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'example-desk' });
    expect(custom.findings).toEqual([]);
  });

  it('refuses a certificate outside us-east-1, or a domain without one', () => {
    expect(() =>
      synthTierdesk({
        context: {
          consoleDomainName: 'desk.example.com',
          consoleCertificateArn: certificateArn.replace('us-east-1', 'eu-west-1'),
        },
      }),
    ).toThrow(/us-east-1/);
    expect(() => synthTierdesk({ context: { consoleDomainName: 'desk.example.com' } })).toThrow(
      /set both or neither/,
    );
  });
});
