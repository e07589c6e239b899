import { type Command, Option } from 'commander';
import type * as z from 'zod';
import { type PersonPageSchema, PersonSchema } from '#shared/http/people-schemas';
import type { TicketPageSchema } from '#shared/http/schemas';
import { type Context, connect, note, say } from './context.ts';
import { CliError } from './errors.ts';
import { formatTable, printJson } from './output.ts';

/** `tierdesk users …`: the people directory (admins): who works at the desk, in which tier groups. */

type Person = z.infer<typeof PersonSchema>;
type PersonPage = z.infer<typeof PersonPageSchema>;

const ROLES = PersonSchema.shape.role.options;

export const printPeople = (people: readonly Person[]): void => {
  say(
    formatTable(people, [
      { header: 'email', value: (person) => person.email },
      { header: 'name', value: (person) => person.name },
      { header: 'role', value: (person) => person.role },
      { header: 'tiers', value: (person) => person.tiers.join(',') || '-' },
      { header: 'groups', value: (person) => person.groups.join(',') || '-' },
      { header: 'time zone', value: (person) => person.timeZone },
      { header: 'active', value: (person) => (person.active ? 'yes' : 'no') },
    ]),
  );
};

const path = (email: string) => `/admin/users/${encodeURIComponent(email.trim().toLowerCase())}`;

const list = async (
  options: { role?: string; group?: string; active?: string; limit?: string; cursor?: string },
  command: Command,
) => {
  const context = connect(command);
  const query = new URLSearchParams();
  for (const key of ['role', 'group', 'active', 'limit'] as const)
    if (options[key]) query.set(key, options[key]);
  // Without --limit, every page: a directory is a few hundred people at most.
  const people: Person[] = [];
  let cursor = options.cursor;
  let next: string | undefined;
  do {
    if (cursor) query.set('cursor', cursor);
    const { body } = await context.api.call<PersonPage>('GET', `/admin/users?${query}`);
    people.push(...body.items);
    next = body.nextCursor;
    cursor = options.limit ? undefined : next;
  } while (cursor);
  if (context.json) return printJson({ items: people, ...(options.limit && next && { nextCursor: next }) });
  if (people.length === 0) say('No one matches.');
  else printPeople(people);
  if (options.limit && next) note(`More: tierdesk users list --limit ${options.limit} --cursor ${next}`);
};

const add = async (
  email: string,
  options: { name: string; role: string; group: string[]; timeZone?: string; replace?: boolean },
  command: Command,
) => {
  const context = connect(command);
  const body = { name: options.name, role: options.role, groups: options.group, timeZone: options.timeZone };
  const headers: Record<string, string> = {};
  if (options.replace) {
    const existing = await context.api.call<Person>('GET', path(email), { accept: [404] });
    if (existing.status === 200 && existing.etag) headers['if-match'] = existing.etag;
  }
  const reply = await context.api.call<Person>('PUT', path(email), { body, headers, accept: [428] });
  if (reply.status === 428) {
    throw new CliError(`${email} is already in the directory: add --replace to replace their entry.`);
  }
  if (context.json) return printJson(reply.body);
  say(`${reply.status === 201 ? 'Added' : 'Replaced'} ${reply.body.email}:`);
  printPeople([reply.body]);
};

const setActive = (active: boolean) => async (email: string, _options: unknown, command: Command) => {
  const context = connect(command);
  const { body } = await context.api.call<Person>(
    'POST',
    `${path(email)}/${active ? 'reactivate' : 'deactivate'}`,
  );
  if (context.json) return printJson(body);
  say(`${body.email} is ${active ? 'active' : 'deactivated'}.`);
  printPeople([body]);
  if (!active) await remindOfOpenTickets(context, body.email);
};

/** A deactivated agent keeps their tickets until an admin moves them: say so, with the count. */
const remindOfOpenTickets = async (context: Context, email: string) => {
  const { body } = await context.api.call<z.infer<typeof TicketPageSchema>>(
    'GET',
    `${path(email)}/open-tickets?limit=100`,
  );
  if (body.items.length === 0) return;
  note(
    `They still hold ${body.items.length}${body.nextCursor ? '+' : ''} open ticket(s) (#${body.items.map((ticket) => ticket.number).join(', #')}): move them with POST /admin/users/${email}/reassign.`,
  );
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export const userCommands = (program: Command): void => {
  const users = program
    .command('users')
    .description('the people directory (admins): list, add, deactivate, reactivate');

  users
    .command('list')
    .description('the people in the directory, by email')
    .addOption(new Option('--role <role>', 'only this role').choices(ROLES))
    .option('--group <group>', 'only members of this tier group')
    .addOption(
      new Option('--active <state>', 'only active (true) or deactivated (false) people').choices([
        'true',
        'false',
      ]),
    )
    .option('--limit <n>', 'one page of this many (1–100) instead of everyone')
    .option('--cursor <cursor>', 'with --limit: the next page, as the previous one printed')
    .action(list);

  users
    .command('add')
    .description('add a person to the directory (they can then sign in with their role and tiers)')
    .argument('<email>', 'their email address: their identity at the desk')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--role <role>', 'what they may do').choices(ROLES).makeOptionMandatory())
    .option('--group <group>', 'agents: a tier group of the configuration (repeat for several)', collect, [])
    .option('--time-zone <zone>', 'IANA time zone, e.g. Europe/Berlin (default UTC)')
    .option('--replace', 'replace the entry if they are in the directory already')
    .addHelpText(
      'after',
      '\nExample: tierdesk users add priya@example.com --name "Priya N." --role agent --group tier1-service-desk',
    )
    .action(add);

  users
    .command('deactivate')
    .description(
      'take all access away (within a minute, even from tokens already issued); no new assignments',
    )
    .argument('<email>', 'who')
    .action(setActive(false));

  users
    .command('reactivate')
    .description('give a deactivated person their access back')
    .argument('<email>', 'who')
    .action(setActive(true));
};
