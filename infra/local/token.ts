import { parseArgs } from 'node:util';
import { ROLES, type Role } from '#shared/domain/principal';
import type { Tier } from '#shared/domain/ticket-fields';
import { runCommand } from './command.ts';
import { DEFAULT_TTL, devClaims, loadDevKey, signDevToken } from './dev-key.ts';

/**
 * `npm run token -- --sub alice@example.com --role requester`: a dev ID token the local API
 * accepts. The token is the last line of stdout (a note goes to stderr), so
 * `TOKEN=$(npm run -s token -- ...)` captures just the token.
 */

const USAGE = `Usage: npm run token -- --sub <email> [--role <role>] [--tiers <1,2,3>] [--ttl <duration>]

  --sub <email>     who the token is for (its sub and email claims)
  --role <role>     ${ROLES.join(' | ')} (default requester)
  --tiers <list>    agents only, required for them: comma-separated tiers, e.g. 1,2
  --ttl <duration>  lifetime: seconds, or with a unit (30m, 12h, 7d); default ${DEFAULT_TTL}

Examples:
  npm run token -- --sub alice@example.com --role requester
  npm run token -- --sub priya@example.com --role agent --tiers 1
  npm run token -- --sub sam@example.com --role supervisor --ttl 30m`;

const AGENT_TIERS: readonly Tier[] = [1, 2, 3];

const parse = (argv: string[]) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      sub: { type: 'string' },
      role: { type: 'string', default: 'requester' },
      tiers: { type: 'string' },
      ttl: { type: 'string', default: DEFAULT_TTL },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return { help: true } as const;

  const email = values.sub?.trim();
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new Error('--sub must be an email address, e.g. --sub alice@example.com');
  }
  const role = values.role as Role;
  if (!ROLES.includes(role))
    throw new Error(`--role must be one of ${ROLES.join(', ')}; got "${values.role}".`);

  let tiers: Tier[] = [];
  if (values.tiers !== undefined) {
    if (role !== 'agent') throw new Error('--tiers is for agents only (--role agent).');
    tiers = values.tiers.split(',').map((part) => {
      const tier = Number(part.trim()) as Tier;
      if (!AGENT_TIERS.includes(tier)) throw new Error(`--tiers takes tiers 1, 2 or 3; got "${part}".`);
      return tier;
    });
  } else if (role === 'agent') {
    throw new Error('An agent works in at least one tier: add --tiers, e.g. --tiers 1 or --tiers 1,2');
  }

  const ttl = /^\d+$/.test(values.ttl) ? Number(values.ttl) : values.ttl;
  if (typeof ttl === 'string' && !/^\d+\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|days?)$/i.test(ttl)) {
    throw new Error(`--ttl must be seconds or a duration like 30m, 12h, 7d; got "${ttl}".`);
  }
  return {
    help: false,
    identity: { email, role, tiers: [...new Set(tiers)].sort((a, b) => a - b) },
    ttl,
  } as const;
};

runCommand(USAGE, parse, async (request) => {
  const token = await signDevToken(await loadDevKey(), request.identity, request.ttl);
  const groups = devClaims(request.identity)['cognito:groups'] as string[];
  console.error(
    `Dev ID token for ${request.identity.email} (groups: ${groups.join(', ')}), valid ${request.ttl}${typeof request.ttl === 'number' ? ' s' : ''}:`,
  );
  console.error(
    'What the token may do follows the people directory, not its groups: the demo people are seeded; anyone else is a requester until an admin adds them (PUT /admin/users/{email}).',
  );
  console.log(token);
});
