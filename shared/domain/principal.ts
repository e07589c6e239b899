import type { Tier } from './ticket-fields.ts';

/**
 * Who is calling. A person's identity is their email address (lower-cased): the same value is
 * the requester of their tickets and the sender of their mail.
 */
export const ROLES = ['requester', 'agent', 'supervisor', 'admin', 'ops'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  id: string;
  roles: ReadonlySet<Role>;
  /** Tier groups the person belongs to (agents only), ascending. */
  tiers: readonly Tier[];
}

/** Identity-provider groups (Cognito groups on AWS, the `cognito:groups` claim locally). */
export const GROUPS = ['requesters', 'tier1', 'tier2', 'tier3', 'supervisors', 'admins', 'ops'] as const;
export type Group = (typeof GROUPS)[number];

const TIER_GROUPS: Record<string, Tier> = { tier1: 1, tier2: 2, tier3: 3 };

/**
 * Groups → roles. Someone in no known group is a requester: the least privilege there is, and
 * what a self-signed-up Cognito user should be.
 */
export const principalFromGroups = (id: string, groups: readonly string[]): Principal => {
  const roles = new Set<Role>();
  const tiers = new Set<Tier>();
  for (const group of groups) {
    const tier = TIER_GROUPS[group];
    if (tier !== undefined) {
      roles.add('agent');
      tiers.add(tier);
    } else if (group === 'supervisors') roles.add('supervisor');
    else if (group === 'admins') roles.add('admin');
    else if (group === 'requesters') roles.add('requester');
    else if (group === 'ops') roles.add('ops');
  }
  if (roles.size === 0) roles.add('requester');
  return { id: normalizeEmail(id), roles, tiers: [...tiers].sort() };
};

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** Groups for a role, the inverse of {@link principalFromGroups}; used by dev tokens and seeds. */
export const groupsFor = (role: Role, tiers: readonly Tier[] = []): Group[] => {
  switch (role) {
    case 'requester':
      return ['requesters'];
    case 'agent':
      return tiers.map((tier) => `tier${tier}` as Group);
    case 'supervisor':
      return ['supervisors'];
    case 'admin':
      return ['admins'];
    case 'ops':
      return ['ops'];
  }
};

/** What authorization reads of a person's directory entry. */
export interface Standing {
  role: Role;
  tiers: readonly Tier[];
  active: boolean;
}

/**
 * A person as the directory has them: their one role and, for agents, their tiers. Someone the
 * directory does not know is a requester (what a self-signed-up person is). Tiers count for
 * agents only, whatever else an entry carries. A deactivated entry has no principal: the caller
 * refuses the request.
 */
export const principalFromStanding = (id: string, standing: Standing | undefined): Principal => {
  if (!standing) return { id: normalizeEmail(id), roles: new Set(['requester']), tiers: [] };
  const tiers = standing.role === 'agent' ? [...new Set(standing.tiers)].sort() : [];
  return { id: normalizeEmail(id), roles: new Set([standing.role]), tiers };
};
