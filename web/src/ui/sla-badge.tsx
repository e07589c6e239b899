import { useEffect, useState } from 'preact/hooks';
import { serverNow } from '../api/client.ts';
import type { SlaSummary } from '../api/types.ts';
import { formatDuration } from './format.ts';

export type SlaState = 'ok' | 'warning' | 'breached' | 'paused';

/** Business time left now: counted down from the desk's clock while the SLA clock runs. */
const remainingNow = (sla: SlaSummary, now = serverNow()): number =>
  sla.running ? sla.remainingMs - Math.max(0, now - Date.parse(sla.asOf)) : sla.remainingMs;

const slaState = (sla: SlaSummary, now = serverNow()): SlaState => {
  const left = remainingNow(sla, now);
  if (left <= 0) return 'breached';
  if (left <= sla.warningMs) return 'warning';
  return sla.running ? 'ok' : 'paused';
};

const LABEL: Record<SlaState, string> = {
  ok: 'on track',
  warning: 'due soon',
  breached: 'breached',
  paused: 'paused',
};

/** Re-renders every second while mounted: the countdown of every badge on the page. */
const useTick = (ms = 1_000): number => {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((value) => value + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
};

/** The badge: colour and words for the state (never colour alone), the business time left or overdue. */
export const SlaBadge = ({ sla }: { sla?: SlaSummary }) => {
  useTick();
  if (!sla) return <span class="badge">no SLA</span>;
  const state = slaState(sla);
  const left = remainingNow(sla);
  const time = left >= 0 ? `${formatDuration(left)} left` : `${formatDuration(-left)} over`;
  return (
    <span
      class={`badge ${state}`}
      data-sla-state={state}
      title={`${sla.clock === 'response' ? 'A response to the requester' : 'Resolution'} due ${new Date(sla.dueAt).toLocaleString()} (business time)${sla.running ? '' : '; the clock is stopped: paused, or outside business hours'}`}
    >
      {sla.clock === 'response' ? 'Response' : 'Resolve'}: {time} · {LABEL[state]}
    </span>
  );
};
