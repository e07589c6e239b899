import { useEffect, useRef, useState } from 'preact/hooks';
import { api, serverNow } from '../../api/client.ts';
import { ProblemError } from '../../api/problem.ts';
import type { Presence as PresenceAnswer } from '../../api/types.ts';
import { useSession } from '../../session-context.ts';
import type { PresenceItem, PresenceState } from './ticket-contracts.ts';

/**
 * Collision detection: this page says it has the ticket open (`PUT …/presence` every 15 s, at
 * once when the state changes between viewing and replying), asks every few seconds who else
 * has, and says it left (`DELETE`) when it goes — on pagehide with a keepalive fetch, since a
 * beacon cannot carry the bearer token. Expired entries are never shown, whatever the server
 * still holds. A desk without the presence route (404) gets no presence, and nothing else changes.
 */

const HEARTBEAT_MS = 15_000;
const POLL_MS = 4_000;

export interface Presence {
  /** false once the desk answered that it has no presence for this ticket. */
  available: boolean;
  /** Who else has the ticket open now. */
  others: PresenceItem[];
  /** The ticket's version as the last answer had it. */
  ticketVersion?: number;
  /** Says this page left (before an action takes the ticket out of reach); `resume` undoes it. */
  pause(): Promise<void>;
  resume(): void;
}

export const usePresence = (number: number, state: PresenceState, enabled: boolean): Presence => {
  const { settings, auth, session } = useSession();
  const [answer, setAnswer] = useState<PresenceAnswer>();
  const [available, setAvailable] = useState(true);
  const [paused, setPaused] = useState(false);
  const token = useRef<string | undefined>(undefined);
  const path = `/tickets/${number}/presence`;
  const live = enabled && available && !paused;
  const here = useRef(false);
  here.current = live;

  const failed = (error: unknown) => {
    // Anything else (a network blip, a 503 after the client's retries) is tried again next time.
    if (error instanceof ProblemError && [403, 404, 405].includes(error.status)) setAvailable(false);
  };

  // The heartbeat, at once and whenever the state changes.
  useEffect(() => {
    if (!live) return;
    let stopped = false;
    const beat = async () => {
      token.current = await auth.token();
      try {
        const { data } = await api.put<PresenceAnswer>(path, { state });
        if (!stopped) setAnswer(data);
      } catch (error) {
        if (!stopped) failed(error);
      }
    };
    void beat();
    const timer = setInterval(() => void beat(), HEARTBEAT_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [live, state, path]);

  // Who else is here, every few seconds while the tab is visible.
  useEffect(() => {
    if (!live) return;
    let stopped = false;
    const timer = setInterval(async () => {
      if (document.visibilityState !== 'visible') return;
      try {
        const { data } = await api.get<PresenceAnswer>(path);
        if (!stopped) setAnswer(data);
      } catch (error) {
        if (!stopped) failed(error);
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [live, path]);

  // Leaving: the page closing or going elsewhere (pagehide), or this view unmounting.
  useEffect(() => {
    if (!live) return;
    const url = `${settings.apiUrl.replace(/\/$/, '')}${path}`;
    const onPageHide = () => {
      void fetch(url, {
        method: 'DELETE',
        keepalive: true,
        headers: token.current ? { authorization: `Bearer ${token.current}` } : {},
      }).catch(() => undefined);
    };
    addEventListener('pagehide', onPageHide);
    return () => {
      removeEventListener('pagehide', onPageHide);
      // Still here means unmounting (not a 404, not a pause, which said goodbye itself).
      if (here.current) void api.delete(path).catch(() => undefined);
    };
  }, [live, path]);

  const me = session?.email.toLowerCase();
  const now = serverNow();
  const others = live
    ? (answer?.items ?? []).filter(
        (item) => item.email.toLowerCase() !== me && Date.parse(item.expiresAt) > now,
      )
    : [];
  return {
    available,
    others,
    ticketVersion: answer?.ticketVersion,
    pause: async () => {
      here.current = false;
      setPaused(true);
      setAnswer(undefined);
      await api.delete(path).catch(() => undefined);
    },
    resume: () => setPaused(false),
  };
};
