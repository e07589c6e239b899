import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { type Command, Option } from 'commander';
import { parseDocument, stringify } from 'yaml';
import type * as z from 'zod';
import type {
  ChangeResultSchema,
  ConfigDiffSchema,
  ConfigRecordPageSchema,
  StoredConfigSchema,
} from '#shared/http/config-schemas';
import { connect, note, say } from './context.ts';
import { CliError } from './errors.ts';
import { versionOf } from './http.ts';
import { formatChanges, formatTable, printJson, summarizeChanges } from './output.ts';

/** `tierdesk config …`: the desk's configuration as one file — export, diff, apply, history, restore. */

type StoredConfig = z.infer<typeof StoredConfigSchema>;
type ConfigDiff = z.infer<typeof ConfigDiffSchema>;
type ChangeResult = z.infer<typeof ChangeResultSchema>;
type RecordPage = z.infer<typeof ConfigRecordPageSchema>;

const readInput = async (file: string): Promise<{ name: string; text: string }> => {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return { name: 'stdin', text: Buffer.concat(chunks).toString('utf8') };
  }
  try {
    return { name: file, text: readFileSync(file, 'utf8') };
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}.`);
  }
};

/** A desk document from YAML or JSON (JSON is YAML too); syntax errors name their line. */
const readDocument = async (file: string): Promise<unknown> => {
  const { name, text } = await readInput(file);
  if (!text.trim())
    throw new CliError(`${name} is empty: give a desk document (tierdesk config export writes one).`);
  const parsed = parseDocument(text, { prettyErrors: true });
  if (parsed.errors.length > 0) {
    throw new CliError(
      `${name} is not valid YAML or JSON: fix it and try again.`,
      parsed.errors.map((error) => error.message.split('\n')[0] ?? error.message),
    );
  }
  const document = parsed.toJS();
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new CliError(`${name} is not a desk document: it must be a mapping (calendars:, policies:, …).`);
  }
  return document;
};

const showDiff = (diff: ConfigDiff): void => {
  say(`Changes to version ${diff.version}:`);
  say(formatChanges(diff.changes));
};

const confirm = async (question: string): Promise<boolean> => {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
};

const exportConfig = async (options: { output?: string; format: 'yaml' | 'json' }, command: Command) => {
  const context = connect(command);
  const { body } = await context.api.call<StoredConfig>('GET', '/admin/config');
  const format = context.json ? 'json' : options.format;
  const text =
    format === 'json'
      ? `${JSON.stringify(body.document, null, 2)}\n`
      : `# The desk's configuration, version ${body.version}${body.at ? ` of ${body.at}` : ''}: tierdesk config apply <this file>\n${stringify(body.document, { lineWidth: 0 })}`;
  if (options.output) {
    writeFileSync(options.output, text);
    note(`Wrote version ${body.version} to ${options.output}.`);
  } else process.stdout.write(text);
};

const diffConfig = async (file: string, _options: unknown, command: Command) => {
  const context = connect(command);
  const document = await readDocument(file);
  const { body } = await context.api.call<ConfigDiff>('POST', '/admin/config/diff', { body: document });
  if (context.json) printJson(body);
  else if (body.changes.length === 0)
    say(`no changes: the desk is at version ${body.version} and already so.`);
  else showDiff(body);
};

const applyConfig = async (file: string, options: { yes?: boolean }, command: Command) => {
  const context = connect(command);
  const document = await readDocument(file);
  const { body: diff } = await context.api.call<ConfigDiff>('POST', '/admin/config/diff', { body: document });
  if (diff.changes.length === 0) {
    if (context.json) printJson({ version: diff.version, changed: false, changes: [] });
    else say(`no changes: the desk is at version ${diff.version} and already so.`);
    return;
  }
  if (!context.json) showDiff(diff);
  // A prompt needs a terminal to answer it: piped (a script, `export | apply -`) it is not asked.
  if (!options.yes && file !== '-' && process.stdin.isTTY) {
    if (!(await confirm(`Apply ${diff.changes.length} change(s) to version ${diff.version}?`))) {
      note('Not applied.');
      return;
    }
  }
  const { body: result } = await context.api.call<ChangeResult>('PUT', '/admin/config', {
    body: document,
    headers: { 'if-match': `"${diff.version}"` },
  });
  if (context.json) printJson(result);
  else if (!result.changed) say(`no changes: the desk is at version ${result.version} and already so.`);
  else say(`Applied: version ${result.version} (${summarizeChanges(result.changes)}).`);
};

const history = async (options: { limit?: string; cursor?: string; kind?: string }, command: Command) => {
  const context = connect(command);
  const query = new URLSearchParams();
  if (options.limit) query.set('limit', options.limit);
  if (options.cursor) query.set('cursor', options.cursor);
  if (options.kind) query.set('kind', options.kind);
  const { body } = await context.api.call<RecordPage>('GET', `/admin/audit?${query}`);
  if (context.json) return printJson(body);
  if (body.items.length === 0)
    say('No changes recorded yet: the desk runs on its built-in configuration (version 0).');
  else
    say(
      formatTable(body.items, [
        { header: 'version', value: (record) => String(record.version) },
        { header: 'at', value: (record) => record.at },
        { header: 'by', value: (record) => record.by },
        {
          header: 'action',
          value: (record) =>
            record.restoredFrom === undefined
              ? record.action
              : `${record.action} (from ${record.restoredFrom})`,
        },
        { header: 'changes', value: (record) => summarizeChanges(record.changes) },
      ]),
    );
  if (body.nextCursor) note(`More: tierdesk config history --cursor ${body.nextCursor}`);
};

const restore = async (version: string, options: { kind?: string; id?: string }, command: Command) => {
  const context = connect(command);
  if (!/^\d+$/.test(version))
    throw new CliError(`"${version}" is not a version number: see tierdesk config history.`, [], 2);
  if (options.id && !options.kind)
    throw new CliError('--id needs --kind: which kind of item to restore.', [], 2);
  const { body, etag } = await context.api.call<ChangeResult>('POST', '/admin/config/restore', {
    body: { version: Number(version), kind: options.kind, id: options.id },
  });
  if (context.json) return printJson(body);
  if (!body.changed) return say(`no changes: version ${version} says what the desk already has.`);
  say(`Restored from version ${version}: now version ${versionOf(etag) ?? body.version}.`);
  say(formatChanges(body.changes));
};

export const configCommands = (program: Command): void => {
  const config = program
    .command('config')
    .description("the desk's configuration as one YAML/JSON file: export, diff, apply, history, restore")
    .addHelpText(
      'after',
      '\nThe file is the document of GET /admin/config: calendars, policies, tiers, groups, vendors, routing, settings\n(examples/desk.yaml is a whole desk; docs/desk-config.schema.json gives editors completion).',
    );

  config
    .command('export')
    .description('print (or write) the current configuration as YAML, or JSON')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addOption(new Option('--format <format>', 'yaml or json').choices(['yaml', 'json']).default('yaml'))
    .action(exportConfig);

  config
    .command('diff')
    .description(
      'show what applying the file would change: kind/id, added/removed/changed, field before → after',
    )
    .argument('<file>', 'the desk document (YAML or JSON); - reads stdin')
    .action(diffConfig);

  config
    .command('apply')
    .description(
      'apply the whole file as one new version, after showing the diff (atomic; nothing when unchanged)',
    )
    .argument('<file>', 'the desk document (YAML or JSON); - reads stdin')
    .option('-y, --yes', 'apply without asking (never asked when stdin is not a terminal, or the file is -)')
    .addHelpText(
      'after',
      '\nThe change is sent with If-Match: the version the diff was computed against. If someone changed the\nconfiguration in between, nothing is applied: run apply again to see the new diff.',
    )
    .action(applyConfig);

  config
    .command('history')
    .description('the audit log: each version, who made it, when, how, and what it changed')
    .option('--limit <n>', 'versions per page (1–100)')
    .option('--cursor <cursor>', 'the next page, as the previous one printed')
    .option(
      '--kind <kind>',
      'only changes of this kind (calendars, policies, tiers, groups, vendors, routing, settings)',
    )
    .action(history);

  config
    .command('restore')
    .description('bring back an earlier version, whole or one part of it (itself a new, audited version)')
    .argument('<version>', 'the version to restore (see tierdesk config history)')
    .option(
      '--kind <kind>',
      'restore only this part: calendars, policies, tiers, groups, vendors, routing, settings',
    )
    .option('--id <id>', 'with --kind: only this item')
    .action(restore);
};
