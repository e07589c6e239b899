import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseDocument } from '#shared/config/admin';
import { calendarById, servicePolicy, toVendorContract } from '#shared/config/compile';
import type { DeskConfig } from '#shared/config/desk';
import type { Calendar, ServicePolicy, VendorContract } from '#shared/domain/service-levels';

/**
 * The demo desk is `examples/desk.yaml`: the local stack applies that very file (through the
 * admin API's apply), and the tests read its parts here in the engine's shapes.
 */

const DEMO_DESK_FILE = new URL('../../../examples/desk.yaml', import.meta.url);

export const DEMO_DESK_DOCUMENT: unknown = parse(readFileSync(DEMO_DESK_FILE, 'utf8'));
const DEMO_DESK: DeskConfig = parseDocument(DEMO_DESK_DOCUMENT);

const calendar = (id: string): Calendar => {
  const found = calendarById(DEMO_DESK, id);
  if (!found) throw new Error(`examples/desk.yaml has no calendar ${id}.`);
  return found;
};

/** Mon–Fri 09:00–17:00 Berlin time, without German public holidays. */
export const DEMO_BUSINESS_HOURS: Calendar = calendar('business-hours');

export const DEMO_CALENDARS: readonly Calendar[] = DEMO_DESK.calendars.map((entry) => calendar(entry.id));

const policy = (id: string): ServicePolicy => {
  const found = DEMO_DESK.policies.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`examples/desk.yaml has no policy ${id}.`);
  return servicePolicy(DEMO_DESK, { ...found, version: 1 });
};

/** `standard` v1, the policy every ticket but a P1 pins. */
export const DEMO_STANDARD_POLICY: ServicePolicy = policy('standard');

const vendor = (id: string): VendorContract => {
  const found = DEMO_DESK.vendors.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`examples/desk.yaml has no vendor ${id}.`);
  return toVendorContract(DEMO_DESK, found);
};

/** The printer vendor's underpinning contract: business hours of the desk's calendar. */
export const DEMO_PRINTER_VENDOR: VendorContract = vendor('printix');
