import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { PROJECT_ROOT } from '#infra/local/lambda';
import { startTestStack, type TestStack } from '#test/support/local-stack';
import { type Run, runTierdesk } from '#test/support/tierdesk-cli';

/**
 * `tierdesk`, the real binary (`cli/bin.mjs`, what `npx tierdesk` runs), against a local stack
 * started on a fresh desk: no configuration applied, nobody in the directory — the state a new
 * deployment is in. The tests follow the deploy path in order: bootstrap the first admin, log in,
 * apply the example desk, then change, audit and restore it, and manage people.
 */

const DESK = resolve(PROJECT_ROOT, 'examples/desk.yaml');
const ADMIN = 'first-admin@example.com';

const COMMANDS = [
  [],
  ['login'],
  ['whoami'],
  ['bootstrap-admin'],
  ['config'],
  ['config', 'export'],
  ['config', 'diff'],
  ['config', 'apply'],
  ['config', 'history'],
  ['config', 'restore'],
  ['users'],
  ['users', 'list'],
  ['users', 'add'],
  ['users', 'deactivate'],
  ['users', 'reactivate'],
];

describe('CLI: tierdesk against the local stack', () => {
  let stack: TestStack;
  let home: string;
  let work: string;

  /** Runs the binary with this Node, signed in through the config dir `home` (unless env says otherwise). */
  const tierdesk = (
    args: string[],
    options: { input?: string; env?: NodeJS.ProcessEnv } = {},
  ): Promise<Run> => runTierdesk(args, { apiUrl: stack.apiUrl, home, ...options });

  const currentVersion = async (): Promise<number> => {
    const run = await tierdesk(['config', 'history', '--json', '--limit', '1']);
    return (JSON.parse(run.stdout) as { items: { version: number }[] }).items[0]?.version ?? 0;
  };

  const noStackTrace = (run: Run) => expect(run.stderr).not.toMatch(/^\s+at /m);

  beforeAll(async () => {
    stack = await startTestStack({ seed: false, seedDesk: false });
    home = mkdtempSync(join(tmpdir(), 'tierdesk-cli-home-'));
    work = mkdtempSync(join(tmpdir(), 'tierdesk-cli-work-'));
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('prints the usage of every command with --help, exit code 0', async () => {
    for (const command of COMMANDS) {
      // Prepare / Act
      const run = await tierdesk([...command, '--help']);

      // Assess
      expect(run.code, command.join(' ')).toBe(0);
      expect(run.stdout).toContain(`Usage: tierdesk${command.length ? ` ${command.join(' ')}` : ''}`);
    }
  });

  it('refuses usage errors with exit code 2 and no stack trace', async () => {
    const missingName = await tierdesk(['users', 'add', 'x@example.com', '--role', 'agent']);
    const badRole = await tierdesk(['users', 'add', 'x@example.com', '--name', 'X', '--role', 'boss']);
    const halfAws = await tierdesk(['bootstrap-admin', '--email', ADMIN, '--user-pool-id', 'eu-west-1_x']);
    const neither = await tierdesk(['login']);

    expect(missingName).toMatchObject({ code: 2 });
    expect(missingName.stderr).toContain("required option '--name <name>' not specified");
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('Allowed choices are requester, agent, supervisor, admin, ops');
    expect(halfAws.code).toBe(2);
    expect(halfAws.stderr).toContain('give both --user-pool-id and --table-name');
    expect(neither.code).toBe(2);
    for (const run of [missingName, badRole, halfAws, neither]) noStackTrace(run);
  });

  it('says to log in when there is no token, and what to do when the API cannot be reached', async () => {
    const signedOut = await tierdesk(['config', 'history']);
    const unreachable = await tierdesk(['whoami', '--api', 'http://127.0.0.1:9'], {
      env: {
        TIERDESK_TOKEN: `e30.${Buffer.from(JSON.stringify({ email: ADMIN })).toString('base64url')}.c2ln`,
      },
    });

    expect(signedOut.code).toBe(1);
    expect(signedOut.stderr).toContain(`Not signed in to ${stack.apiUrl}: run tierdesk login`);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('Cannot reach the API at http://127.0.0.1:9');
    noStackTrace(unreachable);
  });

  it('creates the first admin of a fresh desk once, and refuses a second, locally and by the AWS path', async () => {
    // Act
    const first = await tierdesk(['bootstrap-admin', '--email', ADMIN, '--name', 'First Admin']);
    const second = await tierdesk(['bootstrap-admin', '--email', 'another@example.com']);
    // The AWS path, against the stack's table on DynamoDB Local: it reads the directory first and
    // refuses before any Cognito call (whose endpoint here leads nowhere).
    const onAws = await tierdesk(
      [
        'bootstrap-admin',
        '--email',
        'another@example.com',
        '--user-pool-id',
        'local_pool',
        '--table-name',
        stack.tableName,
        '--region',
        'local',
      ],
      {
        env: {
          AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
          AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:9',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
        },
      },
    );

    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`${ADMIN} is the desk's first admin.`);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`The desk has an active admin already (${ADMIN})`);
    expect(onAws.code).toBe(1);
    expect(onAws.stderr).toContain(`Refused: The desk has an active admin already (${ADMIN})`);
    noStackTrace(onAws);
  });

  it('logs in with a dev token kept in a 0600 file, and whoami shows the directory entry', async () => {
    const login = await tierdesk(['login', '--dev', ADMIN]);
    const whoami = await tierdesk(['whoami']);
    const asJson = await tierdesk(['whoami', '--json']);

    expect(login.code).toBe(0);
    expect(statSync(join(home, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(/EMAIL\s+NAME\s+ROLE/);
    expect(whoami.stdout).toMatch(new RegExp(`${ADMIN}\\s+First Admin\\s+admin`));
    expect(JSON.parse(asJson.stdout)).toMatchObject({
      api: stack.apiUrl,
      email: ADMIN,
      person: { role: 'admin', active: true },
    });
  });

  it('applies examples/desk.yaml to the fresh desk, and export | apply - changes nothing', async () => {
    // Act
    const applied = await tierdesk(['config', 'apply', DESK]);
    const exported = await tierdesk(['config', 'export']);
    const reapplied = await tierdesk(['config', 'apply', '-'], { input: exported.stdout });
    const history = await tierdesk(['config', 'history', '--json']);

    // Assess
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Changes to version 0:');
    expect(applied.stdout).toContain('+ calendars/24x7 (added)');
    // A list shows the entries it lost and gained (the built-in calendar names a holiday differently).
    expect(applied.stdout).toContain(
      [
        '~ calendars/business-hours (changed)',
        '    holidays:',
        `      - {"date":"2026-03-08","name":"International Women's Day (Berlin)"}`,
        `      - {"date":"2027-03-08","name":"International Women's Day (Berlin)"}`,
        `      + {"date":"2026-03-08","name":"International Women's Day"}`,
        `      + {"date":"2027-03-08","name":"International Women's Day"}`,
      ].join('\n'),
    );
    expect(applied.stdout).toContain('    assignment: manual → round_robin');
    expect(applied.stdout).toContain('Applied: version 1');
    expect(parse(exported.stdout)).toMatchObject({
      groups: expect.arrayContaining([expect.objectContaining({ id: 'tier1' })]),
    });
    expect(reapplied.code).toBe(0);
    expect(reapplied.stdout).toContain('no changes');
    const audit = JSON.parse(history.stdout) as { items: { version: number; action: string; by: string }[] };
    expect(audit.items).toEqual([expect.objectContaining({ version: 1, action: 'apply', by: ADMIN })]);
  });

  it('shows the change of an edited file as kind/id and field before → after, in text and JSON', async () => {
    const document = parse(readFileSync(DESK, 'utf8'));
    document.settings.reopenWindow = '3d';
    const edited = join(work, 'edited.yaml');
    writeFileSync(edited, stringify(document));

    const diff = await tierdesk(['config', 'diff', edited]);
    const asJson = await tierdesk(['config', 'diff', edited, '--json']);

    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('~ settings (changed)');
    expect(diff.stdout).toContain('reopenWindow: 5d → 3d');
    expect(JSON.parse(asJson.stdout)).toEqual({
      version: 1,
      changes: [
        {
          kind: 'settings',
          id: 'settings',
          change: 'changed',
          fields: [{ field: 'reopenWindow', before: '5d', after: '3d' }],
        },
      ],
    });
    expect(await currentVersion()).toBe(1);
  });

  it('refuses an invalid file field by field with exit code 1, and applies nothing', async () => {
    const document = parse(readFileSync(DESK, 'utf8'));
    document.calendars[0].timeZone = 'Europe/Atlantis';
    document.groups[0].assignment = 'whoever';
    const invalid = join(work, 'invalid.yaml');
    writeFileSync(invalid, stringify(document));
    const broken = join(work, 'broken.yaml');
    writeFileSync(broken, 'calendars:\n  - id: [unclosed\n');

    const refused = await tierdesk(['config', 'apply', invalid, '--yes']);
    const unreadable = await tierdesk(['config', 'apply', broken]);

    expect(refused.code).toBe(1);
    const lines = refused.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^tierdesk: .+ \(422\)/);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}calendars\[0\]\.timeZone: /),
        expect.stringMatching(/^ {2}groups\[0\]\.assignment: /),
      ]),
    );
    noStackTrace(refused);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain(`${broken} is not valid YAML or JSON`);
    expect(await currentVersion()).toBe(1);
  });

  it('lists the history and restores an earlier version as a new, audited one', async () => {
    // Prepare: version 2 changes the reopen window
    const document = parse(readFileSync(DESK, 'utf8'));
    document.settings.reopenWindow = '3d';
    const edited = join(work, 'edited.yaml');
    writeFileSync(edited, stringify(document));
    expect((await tierdesk(['config', 'apply', edited, '--yes'])).code).toBe(0);

    // Act
    const restored = await tierdesk(['config', 'restore', '1']);
    const history = await tierdesk(['config', 'history']);
    const page = await tierdesk(['config', 'history', '--limit', '1']);

    // Assess
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('Restored from version 1: now version 3.');
    expect(restored.stdout).toContain('reopenWindow: 3d → 5d');
    const rows = history.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^VERSION\s+AT\s+BY\s+ACTION\s+CHANGES$/);
    expect(
      rows.slice(1).map((row) =>
        row
          .split(/\s{2,}/)
          .slice(0, 1)
          .concat(row.split(/\s{2,}/)[3] ?? ''),
      ),
    ).toEqual([
      ['3', 'restore (from 1)'],
      ['2', 'apply'],
      ['1', 'apply'],
    ]);
    expect(page.stdout.trim().split('\n')).toHaveLength(2);
    expect(page.stderr).toMatch(/^More: tierdesk config history --cursor \S+/);
  });

  it('adds, lists, deactivates and reactivates people', async () => {
    const agent = 'new-agent@example.com';

    const added = await tierdesk([
      'users',
      'add',
      agent,
      '--name',
      'New Agent',
      '--role',
      'agent',
      '--group',
      'tier1',
    ]);
    const again = await tierdesk([
      'users',
      'add',
      agent,
      '--name',
      'New Agent',
      '--role',
      'agent',
      '--group',
      'tier1',
    ]);
    const noGroup = await tierdesk([
      'users',
      'add',
      'groupless@example.com',
      '--name',
      'G',
      '--role',
      'agent',
    ]);
    const agents = await tierdesk(['users', 'list', '--role', 'agent']);
    const deactivated = await tierdesk(['users', 'deactivate', agent]);
    const inactive = await tierdesk(['users', 'list', '--active', 'false', '--json']);
    const reactivated = await tierdesk(['users', 'reactivate', agent, '--json']);

    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(new RegExp(`${agent}\\s+New Agent\\s+agent\\s+1\\s+tier1\\s+UTC\\s+yes`));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${agent} is already in the directory: add --replace`);
    expect(noGroup.code).toBe(1);
    expect(noGroup.stderr).toContain('groups: an agent belongs to at least one tier group');
    expect(agents.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^EMAIL/),
      expect.stringContaining(agent),
    ]);
    expect(deactivated.code).toBe(0);
    expect(deactivated.stdout).toContain(`${agent} is deactivated.`);
    expect(JSON.parse(inactive.stdout).items).toEqual([
      expect.objectContaining({ email: agent, active: false }),
    ]);
    expect(JSON.parse(reactivated.stdout)).toMatchObject({ email: agent, active: true });
  });
});
