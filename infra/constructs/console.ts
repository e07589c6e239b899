import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_HEADERS, contentSecurityPolicy } from '#shared/http/console-headers';
import { PROJECT_ROOT } from './lambda-function.ts';

/**
 * The web console on AWS: its build in a private bucket that only CloudFront reads (origin access
 * control), served with the console's security headers (the Content-Security-Policy the local
 * console sends too, HSTS, no framing, no sniffing), `index.html` for every path the app routes
 * in the browser, and the runtime settings (`/config.json`) written at deploy time.
 */
export interface ConsoleProps {
  /** The Cognito managed login domain (`https://<prefix>.auth.<region>.amazoncognito.com`). */
  signInDomain: string;
  /** The OpenID issuer's origin, where the console reads its discovery document (`https://cognito-idp.<region>.amazonaws.com`). */
  issuerOrigin: string;
  /** A domain of the organization's own for the console, with its certificate (in us-east-1). */
  customDomain?: { name: string; certificate: ICertificate };
}

/** The console's runtime settings, as `web/src/settings.ts` reads them. */
export interface ConsoleSettings {
  apiUrl: string;
  auth: { kind: 'oidc'; authority: string; clientId: string; logoutUrl: string };
  deskName: string;
}

/** What each file may be cached for: hashed names never change, the rest is read afresh. */
const IMMUTABLE = [
  CacheControl.setPublic(),
  CacheControl.maxAge(Duration.days(365)),
  CacheControl.immutable(),
];
const REVALIDATE = [CacheControl.noCache()];

export class Console extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<domain>`, no trailing slash: the console's origin (CORS, callback URLs, mail links). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleProps) {
    super(scope, id);
    const { region, urlSuffix } = Stack.of(this);

    // The files are the console's public code: S3-managed encryption suffices, and nobody but
    // CloudFront reads them. Each deploy writes them all again, so no versions are kept.
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "The bucket holds the console's build, written only by the stack's deployment and read only by " +
        'CloudFront through origin access control; there is nothing per request worth an access log.',
    });

    this.headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Tierdesk console: strict CSP, HSTS, no framing, no sniffing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The API's exact address cannot be named here: the API's CORS names this
          // distribution, so naming the API would make each wait for the other. Any HTTP API of
          // the stack's region is allowed instead; config.json names the one the console calls.
          // Attachments are uploaded straight to S3 with a presigned POST (the mail bucket, whose
          // CORS names this distribution too, hence the region's S3 rather than the bucket).
          contentSecurityPolicy: contentSecurityPolicy({
            connect: [
              `https://*.execute-api.${region}.${urlSuffix}`,
              `https://*.s3.${region}.${urlSuffix}`,
              props.issuerOrigin,
              props.signInDomain,
            ],
            forms: [props.signInDomain],
          }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: CONSOLE_HEADERS['permissions-policy'] ?? '',
            override: true,
          },
        ],
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Tierdesk web console',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      // The app routes in the browser: a path that is no file (S3 answers 403 to CloudFront,
      // which may not list the bucket) is the app's index.html.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(10),
      })),
      ...(props.customDomain
        ? {
            domainNames: [props.customDomain.name],
            certificate: props.customDomain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.url = `https://${props.customDomain?.name ?? this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The help desk serves its organization wherever its people are; no country is to be refused.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves static files only (no server-side logic to attack); the API behind it has ' +
          'its own throttling, and a web ACL is a per-account cost decision left to the operator.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Static files only: the requests that matter reach the API, whose access log records them. Standard ' +
          'logging would need an ACL-enabled log bucket.',
      },
    );
    if (!props.customDomain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves the default *.cloudfront.net certificate, whose security ' +
          'policy cannot be raised; browsers negotiate TLS 1.2 or 1.3 with it. Set the consoleDomainName and ' +
          'consoleCertificateArn context to serve the console on TLS 1.2+ only.',
      });
    }
  }

  /**
   * Deploys the built console and its settings: hashed assets cached for a year, `index.html` and
   * `config.json` read afresh. Assets are uploaded first and never pruned, so a page loaded
   * before a deploy still finds its chunks; then the index and settings replace the old ones.
   */
  deploy(settings: ConsoleSettings): void {
    const build = consoleBuild();
    const logGroup = new LogGroup(this, 'DeploymentLogs', { retention: RetentionDays.ONE_MONTH });
    const assets = new BucketDeployment(this, 'Assets', {
      sources: [build],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: ['assets/*'],
      prune: false,
      cacheControl: IMMUTABLE,
      logGroup,
    });
    const index = new BucketDeployment(this, 'Index', {
      sources: [build, Source.jsonData('config.json', settings)],
      destinationBucket: this.bucket,
      exclude: ['assets/*', 'meta.json'],
      cacheControl: REVALIDATE,
      logGroup,
    });
    index.node.addDependency(assets);
    acknowledgeDeploymentHandler(assets, this.bucket);
  }
}

/**
 * CDK's bucket deployment handler (one per stack, shared by both deployments) as cdk-nag sees it:
 * each finding stated and answered.
 */
const acknowledgeDeploymentHandler = (deployment: BucketDeployment, bucket: Bucket): void => {
  const handler = deployment.handlerRole.node.scope as Construct;
  const stack = Stack.of(bucket);
  const bucketArn = `<${stack.getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>`;
  const assetBucket = `arn:<AWS::Partition>:s3:::cdk-${stack.synthesizer.bootstrapQualifier ?? 'hnb659fds'}-assets-<AWS::AccountId>-<AWS::Region>`;
  Validations.of(deployment.handlerRole).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's bucket deployment handler logs with AWSLambdaBasicExecutionRole; it runs at deploy time only, " +
        'never on a request.',
    },
    ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason:
        "CDK's grants to its bucket deployment handler: reading the staged console build and replacing the " +
        "console bucket's objects; the statements name those two buckets only.",
    })),
    {
      id: `AwsSolutions-IAM5[Resource::${assetBucket}/*]`,
      reason:
        "The handler reads the console's build from the CDK bootstrap's asset bucket: any staged asset key.",
    },
    {
      id: `AwsSolutions-IAM5[Resource::${bucketArn}/*]`,
      reason:
        'The handler writes and prunes every object of the console bucket: the bucket holds nothing else.',
    },
  );
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      "CDK's bucket deployment handler pins the runtime its code is tested on; it runs at deploy time only.",
  });
};

/**
 * The console's build as an asset: `web/build.ts` (esbuild) runs at synth time, in this process's
 * Node.js with tsx, skipped like the functions' bundling when a test synthesizes without it.
 */
const consoleBuild = (): ISource =>
  Source.asset(join(PROJECT_ROOT, 'web'), {
    assetHashType: AssetHashType.OUTPUT,
    exclude: ['dist', 'node_modules'],
    bundling: {
      // Never used: local bundling always succeeds or throws (Docker is not needed).
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      local: {
        tryBundle: (outputDir) => {
          execFileSync(
            process.execPath,
            ['--import', 'tsx', join(PROJECT_ROOT, 'web', 'build.ts'), outputDir],
            { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
          );
          return true;
        },
      },
    },
  });
