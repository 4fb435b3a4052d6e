import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n';
import { Card, Loading, ProblemAlert, useAction } from '../ui';

/**
 * A small list + create + edit editor, the same for every setup resource: a table with an Edit
 * button per row and one form (not a modal) for adding or changing. An edit sends only the
 * fields that changed (PATCH is partial).
 */

export type FieldValue = string | boolean | string[];

export interface FieldDef {
  name: string;
  label: string;
  kind: 'text' | 'number' | 'select' | 'multi' | 'checkbox' | 'color' | 'password' | 'email';
  options?: Array<{ value: string; label: string }>;
  /** Required when creating. */
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: string;
  hint?: string;
  /** Shown only when creating, or only when editing. */
  only?: 'create' | 'update';
  /** An emptied text, or an empty multi choice, is sent as null. */
  emptyIsNull?: boolean;
}

export interface Column<T> {
  label: string;
  render: (item: T) => ComponentChildren;
}

export interface ResourceProps<T extends { id: string }> {
  title: string;
  /** Singular, for button labels ("Add queue"). */
  noun: string;
  load: () => Promise<T[]>;
  /** Names a row in the accessible names of its buttons. */
  itemLabel: (item: T) => string;
  columns: Array<Column<T>>;
  fields: FieldDef[];
  initial: (item: T | null) => Record<string, FieldValue>;
  create?: (body: Record<string, unknown>) => Promise<unknown>;
  update?: (item: T, body: Record<string, unknown>) => Promise<unknown>;
  /** Changes that make the list stale (the branch, or a dependency's reload). */
  deps?: unknown[];
  /** What the list belongs to (the branch): when it changes, an open form is closed. */
  scope?: string;
  onChanged?: () => void;
}

function toBody(
  fields: FieldDef[],
  values: Record<string, FieldValue>,
  before: Record<string, FieldValue> | null,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.only && f.only !== (before ? 'update' : 'create')) continue;
    const v = values[f.name];
    if (before && JSON.stringify(before[f.name]) === JSON.stringify(v)) continue;
    if (f.kind === 'checkbox') body[f.name] = Boolean(v);
    else if (f.kind === 'multi') {
      const list = (v as string[]) ?? [];
      body[f.name] = list.length === 0 && f.emptyIsNull ? null : list;
    } else {
      const text = String(v ?? '').trim();
      if (text === '') {
        if (before && f.emptyIsNull) body[f.name] = null;
        continue;
      }
      body[f.name] = f.kind === 'number' ? Number(text) : f.kind === 'password' ? String(v) : text;
    }
  }
  return body;
}

export function ResourceEditor<T extends { id: string }>(props: ResourceProps<T>) {
  const {
    title,
    noun,
    load,
    itemLabel,
    columns,
    fields,
    initial,
    create,
    update,
    deps = [],
    scope,
    onChanged,
  } = props;
  const t = useT();
  const lower = noun.toLowerCase();
  const [items, setItems] = useState<T[] | null>(null);
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [values, setValues] = useState<Record<string, FieldValue>>({});
  const [saved, setSaved] = useState('');
  const list = useAction();
  const save = useAction();
  const firstField = useRef<HTMLElement | null>(null);
  const formId = `form-${noun.replace(/\W+/g, '-')}`;

  const reload = () => list.run(async () => setItems(await load()));
  useEffect(() => {
    void reload();
  }, deps);
  useEffect(() => setEditing(null), [scope]);

  useEffect(() => {
    if (editing) firstField.current?.focus();
  }, [editing]);

  const open = (item: T | 'new') => {
    setSaved('');
    save.setError(null);
    setValues(initial(item === 'new' ? null : item));
    setEditing(item);
  };

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (!editing) return;
    const before = editing === 'new' ? null : initial(editing);
    const body = toBody(fields, values, before);
    const ok = await save.run(async () => {
      if (editing === 'new') await create?.(body);
      else if (Object.keys(body).length > 0) await update?.(editing, body);
      return true;
    });
    if (ok) {
      setSaved(t(editing === 'new' ? 'crud.added' : 'crud.saved', { noun }));
      setEditing(null);
      await reload();
      onChanged?.();
    }
  };

  const formTitle = t(editing === 'new' ? 'crud.new' : 'crud.editNoun', { noun: lower });
  const shown = fields.filter((f) => !f.only || f.only === (editing === 'new' ? 'create' : 'update'));

  return (
    <Card
      title={title}
      actions={
        create ? (
          <button type="button" onClick={() => open('new')} aria-controls={formId}>
            {t('crud.add', { noun: lower })}
          </button>
        ) : null
      }
    >
      <ProblemAlert error={list.error} />
      <p role="status" class="message">
        {saved}
      </p>
      {items === null ? (
        <Loading />
      ) : items.length === 0 ? (
        <p class="muted">{t('crud.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.label} scope="col">
                    {c.label}
                  </th>
                ))}
                {update ? (
                  <th scope="col">
                    <span class="sr-only">{t('crud.actions')}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  {columns.map((c) => (
                    <td key={c.label}>{c.render(item)}</td>
                  ))}
                  {update ? (
                    <td>
                      <button
                        type="button"
                        class="small"
                        onClick={() => open(item)}
                        aria-label={t('crud.editItem', { noun: lower, item: itemLabel(item) })}
                      >
                        {t('crud.edit')}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? (
        <form id={formId} class="editor" onSubmit={(e) => void onSubmit(e)} aria-label={formTitle}>
          <h3>{formTitle}</h3>
          <div class="form-grid">
            {shown.map((f, i) => (
              <FieldInput
                key={f.name}
                field={f}
                idPrefix={formId}
                value={values[f.name] ?? ''}
                required={editing === 'new' && f.required}
                inputRef={i === 0 ? firstField : undefined}
                onChange={(v) => setValues({ ...values, [f.name]: v })}
              />
            ))}
          </div>
          <ProblemAlert error={save.error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={save.busy}>
              {editing === 'new' ? t('crud.add', { noun: lower }) : t('crud.save')}
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </Card>
  );
}

function FieldInput({
  field: f,
  idPrefix,
  value,
  required,
  onChange,
  inputRef,
}: {
  field: FieldDef;
  idPrefix: string;
  value: FieldValue;
  required?: boolean;
  onChange: (v: FieldValue) => void;
  inputRef?: { current: HTMLElement | null };
}) {
  const t = useT();
  const id = `${idPrefix}-${f.name}`;
  const hint = f.hint ? <small id={`${id}-hint`}>{f.hint}</small> : null;
  const describedBy = f.hint ? `${id}-hint` : undefined;
  const ref = (el: HTMLElement | null) => {
    if (inputRef) inputRef.current = el;
  };
  if (f.kind === 'checkbox') {
    return (
      <label class="check" for={id}>
        <input
          id={id}
          ref={ref}
          type="checkbox"
          checked={Boolean(value)}
          onChange={(e) => onChange(e.currentTarget.checked)}
          aria-describedby={describedBy}
        />
        <span>{f.label}</span>
        {hint}
      </label>
    );
  }
  if (f.kind === 'multi') {
    const chosen = new Set(Array.isArray(value) ? value : []);
    return (
      <fieldset class="multi" aria-describedby={describedBy}>
        <legend>{f.label}</legend>
        {(f.options ?? []).map((o, i) => (
          <label key={o.value} class="check" for={`${id}-${o.value}`}>
            <input
              id={`${id}-${o.value}`}
              ref={i === 0 ? ref : undefined}
              type="checkbox"
              checked={chosen.has(o.value)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.currentTarget.checked) next.add(o.value);
                else next.delete(o.value);
                onChange([...next]);
              }}
            />
            <span>{o.label}</span>
          </label>
        ))}
        {hint}
      </fieldset>
    );
  }
  if (f.kind === 'select') {
    return (
      <label class="field" for={id}>
        <span>{f.label}</span>
        <select
          id={id}
          ref={ref}
          value={String(value)}
          required={required}
          onChange={(e) => onChange(e.currentTarget.value)}
          aria-describedby={describedBy}
        >
          <option value="">{t('crud.choose')}</option>
          {(f.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {hint}
      </label>
    );
  }
  return (
    <label class="field" for={id}>
      <span>{f.label}</span>
      <input
        id={id}
        ref={ref}
        type={f.kind as 'text'}
        value={String(value)}
        required={required}
        min={f.min}
        max={f.max}
        pattern={f.pattern}
        autoComplete={f.kind === 'password' ? 'new-password' : 'off'}
        onInput={(e) => onChange(e.currentTarget.value)}
        aria-describedby={describedBy}
      />
      {hint}
    </label>
  );
}
