import { InvalidArgumentError } from 'commander';

/** Arguments and option values several commands share, checked before anything is sent. */

/** The desk's tiers, as --tier accepts them. */
export const TIER_CHOICES = ['1', '2', '3', '4'];

/** A ticket number as people write it: `42` or `#42`. */
export const ticketNumber = (value: string): number => {
  if (!/^#?\d+$/.test(value)) throw new InvalidArgumentError('give a ticket number, e.g. 42.');
  return Number(value.replace('#', ''));
};
