import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api } from '../../api/client.ts';
import { ProblemError as Problem, type ProblemError } from '../../api/problem.ts';
import { useSession } from '../../session-context.ts';
import { ErrorNotice, Loading } from '../../ui/status.tsx';
import { useApi } from '../../ui/use-api.ts';
import { AdminPage, Announcement, ConfirmDialog, SaveProblem, useAction } from './form-kit.tsx';
import { History } from './history.tsx';
import { type AnySpec, ID_PATTERN } from './kind-spec.ts';
import { KIND_ORDER, KINDS } from './kinds.ts';
import type { ChangeResult, ConfigKind, Section, StoredConfig } from './types.ts';

/**
 * The editor of one part of the configuration: a list's items with their ETags (add, edit,
 * delete) or a one-of-a-kind part (routing, settings), each change conditional on the ETag it was
 * read at, and the part's history. Supervisors read it all; the forms are then read-only.
 */

/** Whether the signed-in person changes the configuration (admins) or only reads it (supervisors). */
export const useCanChange = (): boolean => useSession().session?.role === 'admin';

export const ReadOnlyNotice = () => (
  <p class="notice notice-info">
    You can read the configuration and try SLA policies out; only admins change it.
  </p>
);

/** The parts of the configuration, the current one marked. */
export const KindNav = ({ current }: { current?: ConfigKind | 'document' }) => (
  <nav aria-label="Parts of the configuration" class="kind-nav">
    <ul>
      <li>
        <a href="/admin/config" aria-current={current === undefined ? 'page' : undefined}>
          Overview
        </a>
      </li>
      {KIND_ORDER.map((kind) => (
        <li key={kind}>
          <a href={`/admin/config/${kind}`} aria-current={current === kind ? 'page' : undefined}>
            {KINDS[kind].title}
          </a>
        </li>
      ))}
      <li>
        <a href="/admin/config/document" aria-current={current === 'document' ? 'page' : undefined}>
          Whole document
        </a>
      </li>
    </ul>
  </nav>
);

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * One item's form: loaded with its ETag (or blank for a new one), saved with `If-Match` (a new
 * one without, so it is created only if it does not exist), a refused save explained where it
 * happened: 412 with a reload, 409 with what uses it, 422 next to each field.
 */
const ItemEditor = ({
  spec,
  id,
  config,
  canChange,
  onDone,
  backHref,
}: {
  spec: AnySpec;
  /** The item's id; undefined: a new item (or the one-of-a-kind part, which has none). */
  id?: string;
  config: StoredConfig;
  canChange: boolean;
  onDone: (message: string) => void;
  backHref?: string;
}) => {
  const collection = spec.idOf !== undefined;
  const isNew = collection && id === undefined;
  const path = collection
    ? `/admin/config/${spec.kind}/${encodeURIComponent(id ?? '')}`
    : `/admin/config/${spec.kind}`;
  const loaded = useApi<unknown>(isNew ? undefined : path);
  const [draft, setDraft] = useState<unknown>(() =>
    isNew ? spec.toDraft(undefined, config.document) : undefined,
  );
  const [etag, setEtag] = useState<string>();
  const [extraProblem, setExtraProblem] = useState<ProblemError>();
  const save = useAction();
  const form = `${spec.kind}-form`;

  useEffect(() => {
    if (loaded.data === undefined) return;
    setDraft(spec.toDraft(loaded.data, config.document));
    setEtag(loaded.etag);
  }, [loaded.data]);

  const fieldProblem = save.problem ?? extraProblem;
  // After a refused save, the first field it names takes the focus.
  useEffect(() => {
    if (save.problem?.status !== 422 && save.problem?.status !== 400) return;
    document.querySelector<HTMLElement>(`#${form} [aria-invalid="true"]`)?.focus();
  }, [save.problem]);

  if (!isNew && loaded.error && draft === undefined) {
    return <ErrorNotice error={loaded.error} retry={() => void loaded.reload()} />;
  }
  if (draft === undefined) return <Loading what={`Loading the ${spec.one}`} />;

  const what = collection ? `${spec.one} ${id ?? ''}`.trim() : spec.one;
  const reload = async () => {
    save.setProblem(undefined);
    setExtraProblem(undefined);
    await loaded.reload();
  };
  const submit = () =>
    save.run(async () => {
      setExtraProblem(undefined);
      const body = spec.fromDraft(draft);
      const newId = isNew ? (spec.draftId?.(draft) ?? '') : id;
      if (isNew && !ID_PATTERN.test(newId ?? '')) {
        throw new Problem(422, 'Not saved', undefined, [
          {
            field: `body.${spec.idField ?? 'id'}`,
            message: 'must be 1–40 lower-case letters, digits and dashes, starting with a letter or digit',
          },
        ]);
      }
      const url = isNew ? `/admin/config/${spec.kind}/${encodeURIComponent(newId ?? '')}` : path;
      try {
        const { data } = await api.put<ChangeResult>(url, body, isNew ? {} : { ifMatch: etag ?? '*' });
        const name = collection ? `${spec.one} ${newId}` : spec.one;
        onDone(
          data.changed
            ? `Saved the ${name}: the configuration is now at version ${data.version}.`
            : `Nothing to save: the ${name} already was so.`,
        );
      } catch (error) {
        if (isNew && error instanceof Problem && error.status === 428) {
          throw new Problem(422, 'Not saved', undefined, [
            {
              field: `body.${spec.idField ?? 'id'}`,
              message: `a ${spec.one} with this id exists already: choose another id, or edit that one`,
            },
          ]);
        }
        throw error;
      }
    });

  const Form = spec.Form;
  const Extra = spec.Extra;
  return (
    <>
      {!isNew && etag && (
        <p class="hint">
          ETag <code>{etag}</code>: the configuration version in which this {spec.one} last changed. Saving
          sends it as <code>If-Match</code>, so a change someone made meanwhile is never overwritten.
        </p>
      )}
      <form
        id={form}
        class="config-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (canChange) void submit();
        }}
      >
        <fieldset class="plain" disabled={!canChange}>
          <legend class="visually-hidden">{capitalized(what)}</legend>
          <Form
            form={form}
            draft={draft}
            set={setDraft}
            isNew={isNew}
            problem={fieldProblem}
            config={config.document}
          />
        </fieldset>
        {save.problem && (
          <SaveProblem
            problem={save.problem}
            what={`the ${what}`}
            labels={spec.labels}
            onReload={() => void reload()}
          />
        )}
        {canChange && (
          <div class="actions form-actions">
            <button type="submit" class="primary" disabled={save.busy}>
              {save.busy ? 'Saving…' : isNew ? `Add the ${spec.one}` : `Save the ${spec.one}`}
            </button>
            {backHref && (
              <a class="button" href={backHref}>
                Cancel
              </a>
            )}
          </div>
        )}
      </form>
      {Extra && (
        <Extra
          draft={draft}
          body={spec.fromDraft(draft)}
          isNew={isNew}
          onProblem={(problem) => {
            save.setProblem(undefined);
            setExtraProblem(problem);
          }}
        />
      )}
    </>
  );
};

/** A list's page: its items with their ETags, or (`?item=id`, `?new`) one item's form. */
export const CollectionPage = ({ spec }: { spec: AnySpec }) => {
  const canChange = useCanChange();
  const { query, route } = useLocation();
  const config = useApi<StoredConfig>('/admin/config');
  const section = useApi<Section<unknown>>(`/admin/config/${spec.kind}`);
  const [announcement, setAnnouncement] = useState<string>();
  const [history, setHistory] = useState(0);
  const [deleting, setDeleting] = useState<{ id: string; etag: string }>();
  const remove = useAction();
  const base = `/admin/config/${spec.kind}`;
  const itemId = query.item;
  const adding = query.new !== undefined;
  const idOf = spec.idOf ?? (() => '');

  const done = (message: string) => {
    setAnnouncement(message);
    setHistory((n) => n + 1);
    void section.reload();
    void config.reload();
    route(base);
  };

  const confirmDelete = () =>
    remove.run(async () => {
      if (!deleting) return;
      const { data } = await api.delete<ChangeResult>(`${base}/${encodeURIComponent(deleting.id)}`, {
        ifMatch: deleting.etag,
      });
      setDeleting(undefined);
      setAnnouncement(
        `Deleted the ${spec.one} ${deleting.id}: the configuration is now at version ${data.version}.`,
      );
      setHistory((n) => n + 1);
      void section.reload();
      void config.reload();
    });

  const title =
    itemId !== undefined
      ? canChange
        ? `Edit ${spec.one} ${itemId}`
        : `${capitalized(spec.one)} ${itemId}`
      : adding
        ? `New ${spec.one}`
        : spec.title;

  let body = null;
  if (config.error && !config.data) {
    body = <ErrorNotice error={config.error} retry={() => void config.reload()} />;
  } else if (!config.data) {
    body = <Loading what="Loading the configuration" />;
  } else if (itemId !== undefined || adding) {
    body = (
      <>
        <p>
          <a href={base}>Back to {spec.plural ?? spec.title.toLowerCase()}</a>
        </p>
        <ItemEditor
          key={itemId ?? 'new'}
          spec={spec}
          id={itemId}
          config={config.data}
          canChange={canChange}
          onDone={done}
          backHref={base}
        />
      </>
    );
  } else {
    const items = section.data?.items ?? [];
    body = (
      <>
        <p class="intro">{spec.intro}</p>
        <Announcement message={announcement} />
        {section.error && <ErrorNotice error={section.error} retry={() => void section.reload()} />}
        {section.loading && !section.data && (
          <Loading what={`Loading the ${spec.plural ?? spec.title.toLowerCase()}`} />
        )}
        {section.data && (
          <table class="responsive config-items">
            <caption class="visually-hidden">
              {spec.title}, each with its ETag (the version in which it last changed)
            </caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
                {spec.columns?.map((column) => (
                  <th key={column.label} scope="col">
                    {column.label}
                  </th>
                ))}
                <th scope="col">ETag</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && (
                <tr>
                  <td colSpan={(spec.columns?.length ?? 0) + 4}>None yet.</td>
                </tr>
              )}
              {items.map(({ etag, item }) => {
                const id = idOf(item);
                return (
                  <tr key={id}>
                    <td data-label="Id">
                      <code>{id}</code>
                    </td>
                    <td data-label="Name">{spec.nameOf?.(item)}</td>
                    {spec.columns?.map((column) => (
                      <td key={column.label} data-label={column.label}>
                        {column.cell(item)}
                      </td>
                    ))}
                    <td data-label="ETag">
                      <code>{etag}</code>
                    </td>
                    <td data-label="Actions">
                      <div class="actions">
                        <a
                          class="button"
                          href={`${base}?item=${encodeURIComponent(id)}`}
                          aria-label={`${canChange ? 'Edit' : 'View'} ${spec.one} ${id}`}
                        >
                          {canChange ? 'Edit' : 'View'}
                        </a>
                        {canChange && spec.canDelete && (
                          <button
                            type="button"
                            aria-label={`Delete ${spec.one} ${id}`}
                            onClick={() => {
                              remove.setProblem(undefined);
                              setDeleting({ id, etag });
                            }}
                          >
                            Delete
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {canChange && (spec.canAdd?.(items.length) ?? true) && (
          <p>
            <a class="button primary" href={`${base}?new`}>
              Add a {spec.one}
            </a>
          </p>
        )}
        <ConfirmDialog
          open={deleting !== undefined}
          title={`Delete the ${spec.one} ${deleting?.id ?? ''}?`}
          confirmLabel={`Delete ${deleting?.id ?? ''}`}
          danger
          busy={remove.busy}
          onConfirm={() => void confirmDelete()}
          onClose={() => setDeleting(undefined)}
        >
          <p>
            The desk refuses if anything still uses it — another part of the configuration or an open ticket —
            and says what. The deletion is recorded in the history and can be undone by restoring the version
            before it.
          </p>
          {remove.problem && (
            <SaveProblem
              problem={remove.problem}
              what={`the ${spec.one} ${deleting?.id ?? ''}`}
              onReload={() => {
                setDeleting(undefined);
                void section.reload();
              }}
            />
          )}
        </ConfirmDialog>
        <History
          kind={spec.kind}
          canRestore={canChange}
          refreshKey={history}
          currentVersion={config.data.version}
          onRestored={(message) => {
            setAnnouncement(message);
            setHistory((n) => n + 1);
            void section.reload();
            void config.reload();
          }}
        />
      </>
    );
  }

  return (
    <AdminPage title={title}>
      <KindNav current={spec.kind} />
      {!canChange && <ReadOnlyNotice />}
      {body}
    </AdminPage>
  );
};

/** Routing or settings: one form, saved whole with its ETag, and its history. */
export const SingletonPage = ({ spec }: { spec: AnySpec }) => {
  const canChange = useCanChange();
  const config = useApi<StoredConfig>('/admin/config');
  const [announcement, setAnnouncement] = useState<string>();
  const [history, setHistory] = useState(0);
  const [generation, setGeneration] = useState(0);
  const changed = (message: string) => {
    setAnnouncement(message);
    setHistory((n) => n + 1);
    setGeneration((n) => n + 1);
    void config.reload();
  };
  return (
    <AdminPage title={spec.title}>
      <KindNav current={spec.kind} />
      {!canChange && <ReadOnlyNotice />}
      <p class="intro">{spec.intro}</p>
      <Announcement message={announcement} />
      {config.error && !config.data && (
        <ErrorNotice error={config.error} retry={() => void config.reload()} />
      )}
      {!config.data && !config.error && <Loading what="Loading the configuration" />}
      {config.data && (
        <>
          <ItemEditor
            key={generation}
            spec={spec}
            config={config.data}
            canChange={canChange}
            onDone={changed}
          />
          <History
            kind={spec.kind}
            canRestore={canChange}
            refreshKey={history}
            currentVersion={config.data.version}
            onRestored={changed}
          />
        </>
      )}
    </AdminPage>
  );
};
