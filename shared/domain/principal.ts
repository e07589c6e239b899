import type { Tier } from './ticket-fields.ts';

/**
 * Who is calling. A person's identity is their email address (lower-cased): the same value is
 * the requester of their tickets and the sender of their mail.
 */
export const ROLES = ['requester', 'agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  id: string;
  roles: ReadonlySet<Role>;
  /** Tier groups the person belongs to (agents only), ascending. */
  tiers: readonly Tier[];
}

/** Identity-provider groups (Cognito groups on AWS, the `cognito:groups` claim locally). */
export const GROUPS = ['requesters', 'tier1', 'tier2', 'tier3', 'supervisors', 'admins'] as const;
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
  }
};
