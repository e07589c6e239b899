/**
 * Collision detection's rules: what a person on a ticket may be doing, and how long an entry
 * lives without a heartbeat (the console sends one every ~15 s).
 */

export const PRESENCE_STATES = ['viewing', 'replying'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

export const PRESENCE_TTL_SECONDS = 45;
