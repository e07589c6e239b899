import type { ComponentChildren, FunctionComponent } from 'preact';
import type { ProblemError } from '../../api/problem.ts';
import type { ConfigKind, DeskConfig } from './types.ts';

/**
 * What the configuration editor needs to know of one kind of item: how it is listed, its form's
 * draft (what the inputs hold: `09:00-17:00, 18:00-20:00` as typed) and the body that draft
 * makes, and the names of its fields for the messages of a refused save.
 */

export interface FormProps<D> {
  /** The prefix of the form's element ids. */
  form: string;
  draft: D;
  set: (next: D) => void;
  isNew: boolean;
  problem?: ProblemError;
  /** The whole document: what the selects offer (calendars, groups, policies). */
  config: DeskConfig;
}

export interface ExtraProps<D> {
  draft: D;
  /** The request body the draft makes. */
  body: unknown;
  isNew: boolean;
  /** A problem of the extra's request that names the form's fields (a draft's 422). */
  onProblem: (problem: ProblemError | undefined) => void;
}

export interface Column<T> {
  label: string;
  cell: (item: T) => ComponentChildren;
}

export interface KindSpec<T, D> {
  kind: ConfigKind;
  /** `Calendars` */
  title: string;
  /** `calendar` */
  one: string;
  /** `SLA policies` in a sentence (default: the title in lower case). */
  plural?: string;
  intro: ComponentChildren;
  /** The form's names of the top-level fields, for a refused save's summary. */
  labels: Record<string, string>;
  /** The draft of an item, or of a new one (`undefined`). */
  toDraft: (item: T | undefined, config: DeskConfig) => D;
  fromDraft: (draft: D) => unknown;
  /** Lists only: the item's id, the draft's, and the field that holds it. */
  idOf?: (item: T) => string;
  draftId?: (draft: D) => string;
  idField?: string;
  nameOf?: (item: T) => string;
  columns?: Column<T>[];
  Form: FunctionComponent<FormProps<D>>;
  /** Under the form, outside it: the policy's dry run. */
  Extra?: FunctionComponent<ExtraProps<D>>;
  /** Whether one more may be added (three tiers at most). */
  canAdd?: (count: number) => boolean;
  canDelete?: boolean;
}

/** A spec with its item and draft types erased, for the table of kinds. */
export type AnySpec = KindSpec<unknown, unknown>;

export const defineKind = <T, D>(spec: KindSpec<T, D>): AnySpec => spec as unknown as AnySpec;

/** The ids the configuration accepts (`shared/config/desk.ts`). */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** `a, b\nc` → `['a', 'b', 'c']`. */
export const listOf = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
