/**
 * The one price table the benchmark prices with: AWS list prices, us-east-1 (N. Virginia),
 * on-demand, without free tiers or savings plans, as read on the date below. When AWS changes a
 * price, change it here (with the date and source) and every cost figure follows.
 */

export const PRICES_AS_OF = '2026-12-03';
export const PRICE_REGION = 'us-east-1';

export interface Price {
  /** USD per `per` units. */
  usd: number;
  per: number;
  unit: string;
  /** Where the figure was read (the service's pricing page first). */
  sources: readonly string[];
}

export const PRICES = {
  /** Step Functions Standard workflows: every state entered (retries included) is a transition. */
  stateTransitions: {
    usd: 0.025,
    per: 1_000,
    unit: 'state transitions',
    sources: [
      'https://aws.amazon.com/step-functions/pricing/',
      'https://github.com/aws/agent-toolkit-for-aws (architect-for-startups/references/step-functions.md: "$0.025/1000 transitions")',
    ],
  },
  lambdaRequests: {
    usd: 0.2,
    per: 1_000_000,
    unit: 'Lambda requests',
    sources: ['https://aws.amazon.com/lambda/pricing/'],
  },
  /** Arm (Graviton), the first 6 billion GB-seconds a month: every function is arm64. */
  lambdaArmGbSeconds: {
    usd: 0.0000133334,
    per: 1,
    unit: 'GB-s (arm64)',
    sources: [
      'https://aws.amazon.com/lambda/pricing/',
      'https://app.unpkg.com/artillery@2.0.28/files/lib/platform/aws-lambda/prices.js (base arm64: 1333340 × 1e-11 USD per GB-s)',
    ],
  },
  /** On-demand, standard table class, since the price cut of 1 November 2024. */
  dynamoWriteRequestUnits: {
    usd: 0.625,
    per: 1_000_000,
    unit: 'write request units',
    sources: [
      'https://aws.amazon.com/dynamodb/pricing/on-demand/',
      'https://airbyte.com/data-engineering-resources/dynamodb-pricing ("$0.625 per million write request units", US East, after the November 2024 reduction)',
    ],
  },
  dynamoReadRequestUnits: {
    usd: 0.125,
    per: 1_000_000,
    unit: 'read request units',
    sources: [
      'https://aws.amazon.com/dynamodb/pricing/on-demand/',
      'https://airbyte.com/data-engineering-resources/dynamodb-pricing ("$0.125 per million read request units")',
    ],
  },
  /** Outbound mail sent from Lambda (a-la-carte), attachments not included. */
  sesMails: {
    usd: 0.1,
    per: 1_000,
    unit: 'mails',
    sources: [
      'https://aws.amazon.com/ses/pricing/',
      'https://gist.github.com/Kovah/876677c862cde81bfd43574043e20fe4 (Amazon SES: $0.10 per 1000 emails)',
    ],
  },
  /** S3 Standard: what the mailer reads (templates ship in the bundle; attachments rarely). */
  s3Gets: {
    usd: 0.0004,
    per: 1_000,
    unit: 'S3 GET requests',
    sources: ['https://aws.amazon.com/s3/pricing/'],
  },
  s3Puts: {
    usd: 0.005,
    per: 1_000,
    unit: 'S3 PUT requests',
    sources: ['https://aws.amazon.com/s3/pricing/'],
  },
} as const satisfies Record<string, Price>;

export type PriceId = keyof typeof PRICES;

/** The cost in USD of `amount` units at `price`. */
export const cost = (id: PriceId, amount: number): number => (amount * PRICES[id].usd) / PRICES[id].per;

/** Lambda bills duration rounded up to the millisecond, at the memory the function is configured with. */
export const lambdaGbSeconds = (ms: number, memoryMb: number): number =>
  (Math.ceil(ms) / 1000) * (memoryMb / 1024);
