import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import { DEMO_DESK_DOCUMENT } from '#infra/local/demo/service-levels';
import { type AdminDeps, applyConfig } from '#shared/config/admin';
import { principalFromGroups, type Role } from '#shared/domain/principal';
import type { Tier } from '#shared/domain/ticket-fields';
import type { RouteId } from '#shared/http/routes';
import type { ArticleStore } from '#shared/kb/article-store';
import { renderMarkdown } from '#shared/kb/render';
import { withRendered } from '#shared/kb/rendered';
import { RecordingIdentityProvider } from '#shared/people/adapters/recorder';
import { type BootstrapDeps, bootstrapAdmin } from '#shared/people/bootstrap';
import type { DevIdentity } from './dev-key.ts';

/**
 * Demo data for a fresh local table: the desk's configuration (calendars, the SLA policy, a
 * vendor, tier groups, routing — from `demo/service-levels.ts`), a small IT department and a
 * morning's worth of tickets. Tickets and comments go through the real handlers, as their
 * requesters and agents, so the seed takes the same path (validation, routing, priority matrix,
 * timeline) as a real request.
 */

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  tiers: Tier[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'alice@example.com', name: 'Alice Moreau', role: 'requester', tiers: [] },
  { email: 'bob@example.com', name: 'Bob Okafor', role: 'requester', tiers: [] },
  { email: 'carmen@example.com', name: 'Carmen Ruiz', role: 'requester', tiers: [] },
  { email: 'priya@example.com', name: 'Priya Natarajan', role: 'agent', tiers: [1] },
  { email: 'marco@example.com', name: 'Marco Rossi', role: 'agent', tiers: [1] },
  { email: 'sven@example.com', name: 'Sven Lindqvist', role: 'agent', tiers: [2] },
  { email: 'omar@example.com', name: 'Omar Haddad', role: 'agent', tiers: [2, 3] },
  { email: 'hana@example.com', name: 'Hana Kobayashi', role: 'agent', tiers: [3] },
  { email: 'sam@example.com', name: 'Sam Carter', role: 'supervisor', tiers: [] },
  { email: 'lena@example.com', name: 'Lena Fischer', role: 'admin', tiers: [] },
];

interface DemoComment {
  by: string;
  body: string;
  public: boolean;
}

interface DemoTicket {
  requester: string;
  body: {
    subject: string;
    description: string;
    impact: 'high' | 'medium' | 'low';
    urgency: 'high' | 'medium' | 'low';
    category: string;
    tags: string[];
    watchers?: string[];
  };
  comments?: DemoComment[];
}

export const DEMO_TICKETS: readonly DemoTicket[] = [
  {
    requester: 'alice@example.com',
    body: {
      subject: "Laptop can't connect to the office Wi-Fi",
      description:
        'Since this morning my ThinkPad shows "Can\'t connect to this network" for CORP-WIFI on the 3rd floor. ' +
        'Ethernet works, and my phone connects fine. I have restarted twice.',
      impact: 'low',
      urgency: 'high',
      category: 'network/wifi',
      tags: ['wifi', 'laptop'],
    },
    comments: [
      {
        by: 'priya@example.com',
        body: 'Hi Alice, could you forget the network and reconnect? If it still fails, send me your laptop asset tag.',
        public: true,
      },
      {
        by: 'alice@example.com',
        body: 'Forgot and reconnected, same error. Asset tag is LT-20417.',
        public: true,
      },
    ],
  },
  {
    requester: 'bob@example.com',
    body: {
      subject: 'VPN drops every 10 minutes',
      description:
        'Working from home, the VPN disconnects roughly every 10 minutes and I lose my remote desktop session. ' +
        "It started after yesterday's client update.",
      impact: 'medium',
      urgency: 'high',
      category: 'network/vpn',
      tags: ['vpn'],
    },
    comments: [
      {
        by: 'marco@example.com',
        body: 'Third report since the 4.2 client update rolled out; checking with the network team before replying.',
        public: false,
      },
    ],
  },
  {
    requester: 'carmen@example.com',
    body: {
      subject: 'Access to the Finance shared drive',
      description:
        'I joined the Finance team on Monday and need read/write access to \\\\fs01\\finance. ' +
        'My manager, Sam Carter, has approved it.',
      impact: 'low',
      urgency: 'medium',
      category: 'access/shared-drive',
      tags: ['access', 'onboarding'],
      watchers: ['sam@example.com'],
    },
  },
  {
    requester: 'alice@example.com',
    body: {
      subject: 'Outlook keeps asking for my password',
      description:
        'Outlook on my desktop prompts for my password every few minutes, even after I enter it correctly. ' +
        'Webmail works normally.',
      impact: 'medium',
      urgency: 'medium',
      category: 'email/outlook',
      tags: ['outlook', 'authentication'],
    },
  },
  {
    requester: 'bob@example.com',
    body: {
      subject: 'Printer on the 2nd floor jams on double-sided jobs',
      description: 'PRN-2F-EAST jams whenever I print double-sided. Single-sided works. Tray 2 has A4 paper.',
      impact: 'low',
      urgency: 'low',
      category: 'hardware/printer',
      tags: ['printer'],
    },
  },
  {
    requester: 'carmen@example.com',
    body: {
      subject: 'Payroll app shows "Error 500" for the whole Finance team',
      description:
        'Nobody in Finance can open the payroll application since 9:10; it shows "Error 500 - internal error". ' +
        'Payroll must be submitted by 15:00 today.',
      impact: 'high',
      urgency: 'high',
      category: 'apps/payroll',
      tags: ['payroll', 'outage'],
      watchers: ['sam@example.com'],
    },
  },
];

export interface RouteCall {
  as: DevIdentity;
  pathParameters?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Invokes a route's handler directly, as API Gateway would after authorizing `as`. */
export type CallRoute = (routeId: RouteId, call: RouteCall) => Promise<{ statusCode: number; body: unknown }>;

export interface SeedResult {
  users: readonly DemoUser[];
  tickets: number[];
}

const identityOf = (email: string): DevIdentity => {
  const user = DEMO_USERS.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`The seed refers to ${email}, who is not a demo user.`);
  return { email: user.email, role: user.role, tiers: user.tiers };
};

const expectStatus = (
  what: string,
  expected: number,
  result: { statusCode: number; body: unknown },
): void => {
  if (result.statusCode !== expected) {
    throw new Error(`Seeding failed: ${what} answered ${result.statusCode}: ${JSON.stringify(result.body)}`);
  }
};

/**
 * The demo configuration: `examples/desk.yaml`, applied as the demo admin through the same apply
 * as `tierdesk config apply`. Applying it again changes nothing (and records nothing).
 */
export const seedDemoConfig = async (deps: AdminDeps): Promise<void> => {
  await applyConfig(deps, principalFromGroups('lena@example.com', ['admins']), DEMO_DESK_DOCUMENT, undefined);
};

/**
 * The knowledge base's demo articles (public ones for requesters, agents' internal runbooks, a
 * couple of drafts), written as they are, with their own authors and dates and the HTML their
 * writer keeps. The local stack writes them before the stream has readers and builds their
 * search index once itself.
 */
export const seedDemoArticles = async (store: Pick<ArticleStore, 'createArticle'>): Promise<number> => {
  const created = await Promise.all(
    DEMO_ARTICLES.map((article) => store.createArticle(withRendered(article, renderMarkdown))),
  );
  return created.filter(Boolean).length;
};

/**
 * The people and tickets (the configuration is `seedDemoConfig`'s, seeded before). The demo admin
 * is bootstrapped as a deployer would (`tierdesk bootstrap-admin`); everyone else is added by her
 * through the people route, as `tierdesk users add` does.
 */
export const seedDemoData = async (
  directory: BootstrapDeps['directory'],
  callRoute: CallRoute,
  now: () => Date = () => new Date(),
): Promise<SeedResult> => {
  const admin = DEMO_USERS.find((user) => user.role === 'admin');
  if (!admin) throw new Error('The demo people have no admin.');
  await bootstrapAdmin(
    { directory, identity: new RecordingIdentityProvider(), clock: { now } },
    { email: admin.email, name: admin.name, timeZone: 'Europe/Berlin' },
  );
  await Promise.all(
    DEMO_USERS.filter((user) => user !== admin).map(async (user) => {
      const added = await callRoute('put-user', {
        as: identityOf(admin.email),
        pathParameters: { email: user.email },
        body: {
          name: user.name,
          role: user.role,
          groups: user.tiers.map((tier) => `tier${tier}`),
          timeZone: 'Europe/Berlin',
        },
      });
      expectStatus(`adding ${user.email}`, 201, added);
    }),
  );

  const tickets: number[] = [];
  // One after another, so the demo tickets get their numbers in reading order.
  for (const [index, ticket] of DEMO_TICKETS.entries()) {
    const created = await callRoute('create-ticket', {
      as: identityOf(ticket.requester),
      // Sent as a careful client would, so the seed also takes the idempotent-create path.
      headers: { 'idempotency-key': `demo-seed-${index + 1}` },
      body: ticket.body,
    });
    expectStatus(`creating "${ticket.body.subject}"`, 201, created);
    tickets.push((created.body as { number: number }).number);
  }
  // Conversations in order within a ticket, tickets side by side.
  await Promise.all(
    DEMO_TICKETS.map(async (ticket, index) => {
      for (const comment of ticket.comments ?? []) {
        const added = await callRoute('add-comment', {
          as: identityOf(comment.by),
          pathParameters: { number: String(tickets[index]) },
          body: { body: comment.body, public: comment.public },
        });
        expectStatus(`commenting on #${tickets[index]} as ${comment.by}`, 201, added);
      }
    }),
  );
  return { users: DEMO_USERS, tickets };
};
