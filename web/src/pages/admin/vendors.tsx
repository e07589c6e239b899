import { Field, TextField } from './form-kit.tsx';
import { defineKind, type FormProps, listOf } from './kind-spec.ts';
import type { Vendor } from './types.ts';

/** Vendors (Tier 4): where hand-offs go, whose mail is theirs, and their underpinning contract. */

interface VendorDraft {
  id: string;
  name: string;
  /** One address a line (or separated by commas). */
  addresses: string;
  calendar: string;
  response: string;
  resolution: string;
  reminderEvery: string;
}

const VendorForm = ({ form, draft, set, isNew, problem, config }: FormProps<VendorDraft>) => {
  const text = (key: keyof VendorDraft, label: string, hint?: string) => (
    <TextField
      form={form}
      path={key}
      label={label}
      hint={hint}
      problem={problem}
      value={draft[key]}
      onValue={(value) => set({ ...draft, [key]: value })}
    />
  );
  return (
    <>
      {isNew && text('id', 'Id', 'Lower-case letters, digits and dashes; hand-offs name the vendor by it.')}
      {text('name', 'Name')}
      <Field
        form={form}
        path="addresses"
        label="Mail addresses"
        hint="One a line. Hand-offs go to the first; mail from any of them counts as the vendor's."
        problem={problem}
        nested={(rest) => `address ${Number(rest.replace(/\D/g, '')) + 1}`}
      >
        {(props) => (
          <textarea
            {...props}
            rows={3}
            class="short"
            value={draft.addresses}
            onInput={(e) => set({ ...draft, addresses: e.currentTarget.value })}
          />
        )}
      </Field>
      <Field
        form={form}
        path="calendar"
        label="Calendar"
        hint="The contract's response and resolution count business time on it."
        problem={problem}
      >
        {(props) => (
          <select
            {...props}
            value={draft.calendar}
            onChange={(e) => set({ ...draft, calendar: e.currentTarget.value })}
          >
            {config.calendars.map((calendar) => (
              <option key={calendar.id} value={calendar.id}>
                {calendar.name} ({calendar.id})
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset>
        <legend>Underpinning contract (UC targets)</legend>
        {text('response', 'Response', 'Business time until the vendor answers a hand-off: 4h, 1d.')}
        {text('resolution', 'Resolution', 'Business time until the vendor fixes it.')}
        {text('reminderEvery', 'Remind every', 'Wall time between reminders while the vendor is silent: 1d.')}
      </fieldset>
    </>
  );
};

export const VENDORS = defineKind<Vendor, VendorDraft>({
  kind: 'vendors',
  title: 'Vendors',
  one: 'vendor',
  intro:
    'Outside vendors (Tier 4), worked by mail: a hand-off pins the vendor contract at that moment; a change reaches the next hand-off.',
  labels: {
    id: 'Id',
    name: 'Name',
    addresses: 'Mail addresses',
    calendar: 'Calendar',
    response: 'Response',
    resolution: 'Resolution',
    reminderEvery: 'Remind every',
  },
  toDraft: (vendor, config) => ({
    id: vendor?.id ?? '',
    name: vendor?.name ?? '',
    addresses: (vendor?.addresses ?? []).join('\n'),
    calendar: vendor?.calendar ?? config.calendars[0]?.id ?? '',
    response: vendor?.response ?? '',
    resolution: vendor?.resolution ?? '',
    reminderEvery: vendor?.reminderEvery ?? '1d',
  }),
  fromDraft: (draft) => ({
    id: draft.id.trim(),
    name: draft.name.trim(),
    addresses: listOf(draft.addresses),
    calendar: draft.calendar,
    response: draft.response.trim(),
    resolution: draft.resolution.trim(),
    reminderEvery: draft.reminderEvery.trim() || undefined,
  }),
  idOf: (vendor) => vendor.id,
  draftId: (draft) => draft.id.trim(),
  idField: 'id',
  nameOf: (vendor) => vendor.name,
  columns: [
    { label: 'Addresses', cell: (vendor) => vendor.addresses.join(', ') },
    { label: 'Calendar', cell: (vendor) => vendor.calendar },
    { label: 'Response / resolution', cell: (vendor) => `${vendor.response} / ${vendor.resolution}` },
  ],
  Form: VendorForm,
  canDelete: true,
});
