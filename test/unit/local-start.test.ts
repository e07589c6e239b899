import { describe, expect, it } from 'vitest';
import { type BannerStack, parseStartOptions, startBanner } from '#infra/local/start-options';

/** `npm start`: its options, and the banner it prints once the stack is up. */

const STATE_MACHINE = 'arn:aws:states:local:000000000000:stateMachine:tierdesk-ticket-lifecycle';

const stack = (overrides: Partial<BannerStack> = {}): BannerStack => ({
  apiUrl: 'http://127.0.0.1:3000',
  dynamoEndpoint: 'http://127.0.0.1:41234',
  tableName: 'tierdesk-local',
  hadData: false,
  workflow: { sfnEndpoint: 'http://127.0.0.1:8083', stepFunctions: { stateMachineArn: STATE_MACHINE } },
  mail: { smtpPort: 2525, supportAddresses: ['support@tierdesk.local'], sesUrl: 'http://127.0.0.1:8005/' },
  ...overrides,
});

const banner = (overrides: Partial<BannerStack> = {}) => startBanner(stack(overrides), {}, '4.2');

describe('Function: parseStartOptions', () => {
  it('puts the Step Functions endpoint on port 8083 unless a flag or SFN_PORT says otherwise', () => {
    expect(parseStartOptions([], {}).sfnPort).toBe(8083);
    expect(parseStartOptions([], { SFN_PORT: '9083' }).sfnPort).toBe(9083);
    expect(parseStartOptions(['--sfn-port', '9084'], { SFN_PORT: '9083' }).sfnPort).toBe(9084);
    expect(() => parseStartOptions(['--sfn-port', 'eighty'], {})).toThrow(/--sfn-port must be a port number/);
  });

  it('gives DynamoDB Local, which listens on every interface, a free port unless one is asked for', () => {
    expect(parseStartOptions([], {}).dynamoPort).toBe(0);
    expect(parseStartOptions(['--dynamo-port', '8001'], {}).dynamoPort).toBe(8001);
  });
});

describe('Function: startBanner', () => {
  it('names the Step Functions endpoint and the AWS CLI command that lists the executions there', () => {
    const text = banner();

    expect(text).toContain(`Step Functions  http://127.0.0.1:8083   state machine ${STATE_MACHINE}`);
    expect(text).toMatch(
      new RegExp(
        'aws stepfunctions list-executions --endpoint-url http://127\\.0\\.0\\.1:8083 --region local --no-sign-request \\\\\\s+' +
          `--state-machine-arn ${STATE_MACHINE.replaceAll('.', '\\.')}`,
      ),
    );
  });

  it('says nothing was seeded because of --no-seed when the table was empty, and how to set the desk up', () => {
    const text = banner({ hadData: false });

    expect(text).toContain('Nothing seeded (--no-seed)');
    expect(text).toContain('npx tierdesk bootstrap-admin --email you@example.com');
    expect(text).toContain('npx tierdesk config apply examples/desk.yaml');
    expect(text).not.toContain('already had data');
  });

  it('says the table already had data when it had, and lists the demo people seeded earlier', () => {
    const text = banner({ hadData: true });

    expect(text).toContain('The table already had data, so nothing was seeded.');
    expect(text).toContain('alice@example.com');
  });

  it('lists the seeded tickets and people after a seed', () => {
    const text = banner({ seeded: { users: [], tickets: [1, 2, 3] } });

    expect(text).toContain('Demo data seeded: 3 tickets (#1, #2, #3) and these people:');
    expect(text).toContain('npm run token -- --sub priya@example.com --role agent --tiers 1');
  });
});
