/**
 * Plus-addressing (`support+1042@tierdesk.example`): the part after `+` is a tag the receiving
 * system keeps out of the mailbox name. Tierdesk puts ticket numbers there.
 */

export interface AddressParts {
  local: string;
  /** The text after the first `+` of the local part, if any. */
  tag?: string;
  domain: string;
}

export const splitAddress = (address: string): AddressParts | undefined => {
  const at = address.lastIndexOf('@');
  if (at <= 0) return undefined;
  const localPart = address.slice(0, at);
  const domain = address.slice(at + 1);
  const plus = localPart.indexOf('+');
  return plus < 0
    ? { local: localPart, domain }
    : { local: localPart.slice(0, plus), tag: localPart.slice(plus + 1), domain };
};

/** `support+1042@x` → `support@x`: the mailbox the address delivers to. */
export const withoutTag = (address: string): string => {
  const parts = splitAddress(address);
  return parts ? `${parts.local}@${parts.domain}` : address;
};
