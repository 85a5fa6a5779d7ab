// Administration › Sites › Configure Site Components › Software Update Point: the Software Update Point Component
// Properties of the top-level site, in tabs as in Configuration Manager, with OK / Apply / Cancel. Only the changed
// settings are sent; closing with changes asks first. The Sync Schedule tab shows the fields of Administration ›
// Synchronization Schedule (ScheduleFields.tsx) as part of this form; WSUS Maintenance runs after each top-level sync.
import type { CategoryDto, SupSettingsDto } from "@syncpoint/contracts";
import { useId, useMemo, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSupSettings, useTestConnection, useUpdateSupSettings } from "../../api/settings.ts";
import { useCategories } from "../../api/sites.ts";
import { ActionButton } from "../../components/ActionBar.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { FieldMessage } from "../../components/FieldMessage.tsx";
import { FormField } from "../../components/FormField.tsx";
import { ConnectionTestResult } from "./ConnectionTestResult.tsx";
import { buildProductTree, filterProductTree } from "./products-tree.ts";
import { browserTimeZone, scheduleIsValid, type ScheduleFormValues } from "./schedule-form.ts";
import { NextSyncs, ScheduleFields } from "./ScheduleFields.tsx";
import {
  firstTabWithError,
  formFromSettings,
  isSupFormDirty,
  serverSupErrors,
  supChanges,
  TABS,
  UPSTREAM_LANGUAGES,
  validateSupForm,
  type SupFieldErrors,
  type SupForm,
  type Tab,
  FIELD_TAB,
  type SupField,
} from "./sup-properties-form.ts";

export interface SupComponentPropertiesProps {
  onClose: () => void;
  onSaved: () => void;
}

export default function SupComponentProperties({ onClose, onSaved }: SupComponentPropertiesProps) {
  const { t } = useTranslation();
  const settings = useSupSettings();
  if (!settings.data) {
    return (
      <Dialog title={t("componentProperties.title")} onClose={onClose}>
        {settings.isError ? (
          <div role="alert" className="message message--error">
            <p>{t("componentProperties.loadFailed")}</p>
            <p>
              <ErrorText error={settings.error} />
            </p>
          </div>
        ) : (
          <p role="status" className="state-message">
            {t("componentProperties.loading")}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            {t("common.cancel")}
          </button>
        </div>
      </Dialog>
    );
  }
  return <PropertiesForm settings={settings.data} onClose={onClose} onSaved={onSaved} />;
}

function PropertiesForm({
  settings: loaded,
  onClose,
  onSaved,
}: {
  settings: SupSettingsDto;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  // The settings the form started from: the loaded ones, then what each Apply stored.
  const [baseline, setBaseline] = useState(loaded);
  // A schedule never saved starts out in this computer's time zone, as on the Synchronization Schedule page.
  const [zone] = useState(browserTimeZone);
  const [form, setForm] = useState<SupForm>(() => formFromSettings(loaded, zone));
  const [tab, setTab] = useState<Tab>("syncSettings");
  const [errors, setErrors] = useState<SupFieldErrors>({});
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [applied, setApplied] = useState(false);
  const save = useUpdateSupSettings();
  const dirty = isSupFormDirty(baseline, form, zone);
  const busy = save.isPending;

  const set = (patch: Partial<SupForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    setErrors((current) => {
      const next = { ...current };
      for (const key of Object.keys(patch)) delete next[key as SupField];
      return next;
    });
    setApplied(false);
    setConfirmDiscard(false);
  };
  const setSchedule = <K extends keyof ScheduleFormValues>(name: K, value: ScheduleFormValues[K]) => {
    setForm((current) => ({ ...current, schedule: { ...current.schedule, [name]: value } }));
    setErrors((current) => {
      const next = { ...current };
      delete next[name as SupField];
      delete next.schedule;
      return next;
    });
    setApplied(false);
    setConfirmDiscard(false);
  };

  const submit = (close: boolean) => {
    const found = validateSupForm(t, form);
    setErrors(found);
    const errorTab = firstTabWithError(found);
    if (errorTab) {
      setTab(errorTab);
      return;
    }
    const body = supChanges(baseline, form, zone);
    if (!body) {
      if (close) onClose();
      return;
    }
    save.mutate(body, {
      onSuccess: (stored) => {
        onSaved();
        if (close) {
          onClose();
          return;
        }
        setBaseline(stored);
        setForm(formFromSettings(stored, zone));
        setApplied(true);
      },
      onError: (error) => {
        const fromServer = serverSupErrors(error, t);
        setErrors(fromServer);
        const errorTab = firstTabWithError(fromServer);
        if (errorTab) setTab(errorTab);
      },
    });
  };

  const requestClose = () => {
    if (dirty && !busy) setConfirmDiscard(true);
    else onClose();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit(true);
  };

  const tabLabels: Record<Tab, string> = {
    syncSettings: t("componentProperties.tabs.syncSettings"),
    classifications: t("componentProperties.tabs.classifications"),
    products: t("componentProperties.tabs.products"),
    syncSchedule: t("componentProperties.tabs.syncSchedule"),
    supersedence: t("componentProperties.tabs.supersedence"),
    languages: t("componentProperties.tabs.languages"),
    wsusMaintenance: t("componentProperties.tabs.wsusMaintenance"),
    maxRunTime: t("componentProperties.tabs.maxRunTime"),
  };
  const tabErrors = new Set((Object.keys(errors) as SupField[]).map((field) => FIELD_TAB[field]));
  const fieldErrorShown = Object.keys(errors).length > 0;

  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.indexOf(tab);
    const next =
      event.key === "ArrowRight"
        ? (index + 1) % TABS.length
        : event.key === "ArrowLeft"
          ? (index - 1 + TABS.length) % TABS.length
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? TABS.length - 1
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    setTab(TABS[next]!);
    document.getElementById(`${id}-tab-${TABS[next]}`)?.focus();
  };

  return (
    <Dialog
      title={t("componentProperties.title")}
      onClose={requestClose}
      busy={busy}
      className="dialog--wide component-properties"
    >
      <form className="form" onSubmit={onSubmit} noValidate aria-busy={busy}>
        <div role="tablist" aria-label={t("componentProperties.tabsLabel")} className="tabs" onKeyDown={onTabKey}>
          {TABS.map((name) => (
            <button
              key={name}
              id={`${id}-tab-${name}`}
              type="button"
              role="tab"
              aria-selected={tab === name}
              aria-controls={`${id}-panel-${name}`}
              tabIndex={tab === name ? 0 : -1}
              className={`tabs__tab${tab === name ? " tabs__tab--selected" : ""}${tabErrors.has(name) ? " tabs__tab--invalid" : ""}`}
              onClick={() => setTab(name)}
            >
              {tabLabels[name]}
              {tabErrors.has(name) && <span className="visually-hidden"> {t("componentProperties.tabHasErrors")}</span>}
            </button>
          ))}
        </div>
        <div
          role="tabpanel"
          id={`${id}-panel-${tab}`}
          aria-labelledby={`${id}-tab-${tab}`}
          className="tabs__panel"
          tabIndex={0}
        >
          {tab === "syncSettings" && (
            <SyncSettingsTab form={form} set={set} errors={errors} settings={baseline} dirty={dirty} />
          )}
          {tab === "classifications" && (
            <ClassificationsTab
              selected={form.classifications}
              onChange={(v) => set({ classifications: v })}
              error={errors.classifications}
            />
          )}
          {tab === "products" && (
            <ProductsTab selected={form.products} onChange={(v) => set({ products: v })} error={errors.products} />
          )}
          {tab === "syncSchedule" && (
            <SyncScheduleTab
              values={form.schedule}
              set={setSchedule}
              errors={errors}
              settings={baseline}
              browserZone={zone}
              disabled={busy}
            />
          )}
          {tab === "supersedence" && <SupersedenceTab form={form} set={set} errors={errors} />}
          {tab === "languages" && (
            <CheckboxList
              legend={t("componentProperties.languages.legend")}
              hint={t("componentProperties.languages.hint")}
              items={[
                ...UPSTREAM_LANGUAGES.map((l) => ({ id: l.code, label: `${l.name} (${l.code})` })),
                ...form.languages
                  .filter((code) => !UPSTREAM_LANGUAGES.some((l) => l.code === code))
                  .map((code) => ({ id: code, label: code })),
              ]}
              selected={form.languages}
              onChange={(v) => set({ languages: v })}
              error={errors.languages}
            />
          )}
          {tab === "wsusMaintenance" && <MaintenanceTab form={form} set={set} errors={errors} />}
          {tab === "maxRunTime" && <MaxRunTimeTab form={form} set={set} errors={errors} />}
        </div>

        {confirmDiscard && (
          <div role="alert" className="message message--warning unsaved-changes">
            <p>{t("componentProperties.unsaved.message")}</p>
            <div className="form__actions">
              <button type="button" className="button button--danger" onClick={onClose}>
                {t("componentProperties.unsaved.discard")}
              </button>
              <button type="button" className="button" onClick={() => setConfirmDiscard(false)}>
                {t("componentProperties.unsaved.keep")}
              </button>
            </div>
          </div>
        )}
        {save.isError && (
          <div role="alert" className="message message--error">
            {fieldErrorShown ? t("componentProperties.fixFields") : <ErrorText error={save.error} />}
          </div>
        )}
        {!save.isError && fieldErrorShown && (
          <div role="alert" className="message message--error">
            {t("componentProperties.fixFields")}
          </div>
        )}
        <p role="status" className="notice">
          {applied ? t("componentProperties.applied") : ""}
        </p>
        <div className="dialog__actions">
          <ActionButton type="submit" permission="settings.edit" variant="primary" disabled={busy}>
            {t("componentProperties.ok")}
          </ActionButton>
          <button type="button" className="button" onClick={requestClose} disabled={busy}>
            {t("common.cancel")}
          </button>
          <ActionButton permission="settings.edit" disabled={busy || !dirty} onClick={() => submit(false)}>
            {t("componentProperties.apply")}
          </ActionButton>
          {busy && (
            <span role="status" className="busy">
              {t("common.working")}
            </span>
          )}
        </div>
      </form>
    </Dialog>
  );
}

interface TabProps {
  form: SupForm;
  set: (patch: Partial<SupForm>) => void;
  errors: SupFieldErrors;
}

function Choice({
  id,
  name,
  label,
  checked,
  onChange,
  type = "radio",
}: {
  id: string;
  name?: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  type?: "radio" | "checkbox";
}) {
  return (
    <div className="checkbox-field">
      <input id={id} type={type} name={name} checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

function SyncSettingsTab({
  form,
  set,
  errors,
  settings,
  dirty,
}: TabProps & { settings: SupSettingsDto; dirty: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const test = useTestConnection();
  const sources = ["microsoft-update", "upstream-url", "disconnected"] as const;
  const sourceLabel = {
    "microsoft-update": t("componentProperties.sync.sources.microsoftUpdate"),
    "upstream-url": t("componentProperties.sync.sources.upstreamUrl"),
    disconnected: t("componentProperties.sync.sources.disconnected"),
  };
  return (
    <>
      <fieldset className="form-section">
        <legend>{t("componentProperties.sync.source")}</legend>
        {sources.map((source) => (
          <Choice
            key={source}
            id={`${id}-${source}`}
            name={`${id}-source`}
            label={sourceLabel[source]}
            checked={form.syncSource === source}
            onChange={() => set({ syncSource: source })}
          />
        ))}
        {form.syncSource === "upstream-url" && (
          <div className="form__row--indented">
            <FormField
              id={`${id}-url`}
              label={t("componentProperties.sync.upstreamUrl")}
              hint={t("componentProperties.sync.upstreamUrlHint")}
              error={errors.upstreamUrl}
              input={{
                value: form.upstreamUrl,
                type: "url",
                onChange: (e) => set({ upstreamUrl: e.currentTarget.value }),
              }}
            />
          </div>
        )}
      </fieldset>
      <fieldset className="form-section">
        <legend>{t("componentProperties.sync.proxy")}</legend>
        <Choice
          type="checkbox"
          id={`${id}-use-proxy`}
          label={t("componentProperties.sync.useProxy")}
          checked={form.useProxy}
          onChange={(useProxy) => set({ useProxy })}
        />
        {form.useProxy && (
          <div className="form__row--indented">
            <FormField
              id={`${id}-proxy-url`}
              label={t("componentProperties.sync.proxyUrl")}
              error={errors.proxyUrl}
              input={{ value: form.proxyUrl, type: "url", onChange: (e) => set({ proxyUrl: e.currentTarget.value }) }}
            />
            <FormField
              id={`${id}-proxy-user`}
              label={t("componentProperties.sync.proxyUsername")}
              error={errors.proxyUsername}
              input={{
                value: form.proxyUsername,
                autoComplete: "off",
                onChange: (e) => set({ proxyUsername: e.currentTarget.value }),
              }}
            />
            <FormField
              id={`${id}-proxy-password`}
              label={t("componentProperties.sync.proxyPassword")}
              hint={t("componentProperties.sync.proxyPasswordHint")}
              error={errors.proxyPassword}
              input={{
                value: form.proxyPassword,
                type: "password",
                autoComplete: "new-password",
                placeholder: settings.proxy?.hasPassword ? t("componentProperties.sync.unchanged") : "",
                onChange: (e) => set({ proxyPassword: e.currentTarget.value }),
              }}
            />
          </div>
        )}
      </fieldset>
      <div className={`form__field${errors.caBundle ? " form__field--invalid" : ""}`}>
        <label htmlFor={`${id}-ca`}>{t("componentProperties.sync.caBundle")}</label>
        <textarea
          id={`${id}-ca`}
          rows={4}
          value={form.caBundle}
          spellCheck={false}
          // i18n-ignore: the first line of a PEM certificate, not language
          placeholder="-----BEGIN CERTIFICATE-----"
          aria-invalid={errors.caBundle ? true : undefined}
          aria-describedby={`${id}-ca-hint${errors.caBundle ? ` ${id}-ca-error` : ""}`}
          onChange={(e) => set({ caBundle: e.currentTarget.value })}
        />
        <p id={`${id}-ca-hint`} className="form__hint">
          {t("componentProperties.sync.caBundleHint")}
        </p>
        {errors.caBundle && (
          <p id={`${id}-ca-error`} className="form__error">
            <FieldMessage text={errors.caBundle} />
          </p>
        )}
      </div>
      <div className="form__actions">
        <ActionButton
          permission="settings.edit"
          disabled={test.isPending}
          unavailableReason={dirty ? t("componentProperties.sync.testNeedsApply") : undefined}
          aria-controls={`${id}-tested`}
          onClick={() => test.mutate()}
        >
          {t("syncSchedule.actions.testConnection")}
        </ActionButton>
      </div>
      <div id={`${id}-tested`} className="connection-test" aria-live="polite">
        {test.isPending && <p className="busy">{t("syncSchedule.test.testing")}</p>}
        {test.isError && (
          <div role="alert" className="message message--error">
            <ErrorText error={test.error} />
          </div>
        )}
        {test.data && !test.isPending && <ConnectionTestResult result={test.data} />}
      </div>
    </>
  );
}

function CheckboxList({
  legend,
  hint,
  items,
  selected,
  onChange,
  error,
}: {
  legend: string;
  hint?: string;
  items: { id: string; label: ReactNode }[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const toggle = (item: string, on: boolean) =>
    onChange(on ? [...selected.filter((s) => s !== item), item] : selected.filter((s) => s !== item));
  return (
    <fieldset
      className={`form-section checkbox-list${error ? " form__field--invalid" : ""}`}
      aria-describedby={[hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined}
    >
      <legend>{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="form__hint">
          {hint}
        </p>
      )}
      {items.map((item) => (
        <Choice
          key={item.id}
          type="checkbox"
          id={`${id}-${item.id}`}
          label={item.label}
          checked={selected.includes(item.id)}
          onChange={(on) => toggle(item.id, on)}
        />
      ))}
      {error && (
        <p id={`${id}-error`} className="form__error">
          <FieldMessage text={error} />
        </p>
      )}
    </fieldset>
  );
}

function NewBadge({ category }: { category: CategoryDto }) {
  const { t } = useTranslation();
  return category.isNew ? <span className="badge badge--new">{t("componentProperties.new")}</span> : null;
}

function ClassificationsTab({
  selected,
  onChange,
  error,
}: {
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const categories = useCategories("classification");
  if (!categories.data) return <CategoriesState isError={categories.isError} error={categories.error} />;
  const items = categories.data.items
    .filter((c: CategoryDto) => c.type === "UpdateClassification")
    .sort((a: CategoryDto, b: CategoryDto) => a.title.localeCompare(b.title))
    .map((c: CategoryDto) => ({
      id: c.id,
      label: (
        <>
          {c.title} <NewBadge category={c} />
        </>
      ),
    }));
  return (
    <CheckboxList
      legend={t("componentProperties.classifications.legend")}
      hint={t("componentProperties.classifications.hint")}
      items={items}
      selected={selected}
      onChange={onChange}
      error={error}
    />
  );
}

function CategoriesState({ isError, error }: { isError: boolean; error: unknown }) {
  const { t } = useTranslation();
  return isError ? (
    <div role="alert" className="message message--error">
      <p>{t("componentProperties.categoriesFailed")}</p>
      <p>
        <ErrorText error={error} />
      </p>
    </div>
  ) : (
    <p role="status" className="state-message">
      {t("componentProperties.categoriesLoading")}
    </p>
  );
}

function ProductsTab({
  selected,
  onChange,
  error,
}: {
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const id = useId();
  const categories = useCategories("product");
  const [search, setSearch] = useState("");
  const tree = useMemo(() => buildProductTree(categories.data?.items ?? []), [categories.data]);
  const shown = useMemo(() => filterProductTree(tree, search), [tree, search]);
  if (!categories.data) return <CategoriesState isError={categories.isError} error={categories.error} />;
  const chosen = new Set(selected);
  const setMany = (ids: readonly string[], on: boolean) => {
    const next = new Set(selected);
    for (const productId of ids) {
      if (on) next.add(productId);
      else next.delete(productId);
    }
    onChange([...next]);
  };
  return (
    <div className="products">
      <p className="form__hint">{t("componentProperties.products.hint", { count: selected.length })}</p>
      <div className="form__field">
        <label htmlFor={`${id}-search`}>{t("componentProperties.products.search")}</label>
        <input id={`${id}-search`} type="search" value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
      </div>
      {shown.length === 0 && <p className="state-message">{t("componentProperties.products.none")}</p>}
      <ul className="product-tree" aria-label={t("componentProperties.products.tree")}>
        {shown.map((company) => (
          <li key={company.category.id}>
            <span className="product-tree__company">
              {company.category.title} <NewBadge category={company.category} />
            </span>
            <ul>
              {company.families.map((family) => {
                const ids = family.products.map((p) => p.id);
                const count = ids.filter((p) => chosen.has(p)).length;
                const familyTitle = family.category?.title ?? t("componentProperties.products.other");
                const familyKey = family.category?.id ?? `${company.category.id}-other`;
                return (
                  <li key={familyKey}>
                    <fieldset className="product-tree__family">
                      <legend>
                        {familyTitle} {family.category && <NewBadge category={family.category} />}
                      </legend>
                      <div className="checkbox-field">
                        <input
                          id={`${id}-all-${familyKey}`}
                          type="checkbox"
                          checked={count === ids.length}
                          ref={(input) => {
                            if (input) input.indeterminate = count > 0 && count < ids.length;
                          }}
                          onChange={(e) => setMany(ids, e.currentTarget.checked)}
                        />
                        <label htmlFor={`${id}-all-${familyKey}`}>
                          {t("componentProperties.products.selectAll", { family: familyTitle })}
                        </label>
                      </div>
                      <ul>
                        {family.products.map((product) => (
                          <li key={product.id}>
                            <Choice
                              type="checkbox"
                              id={`${id}-${familyKey}-${product.id}`}
                              label={
                                <>
                                  {product.title} <NewBadge category={product} />
                                </>
                              }
                              checked={chosen.has(product.id)}
                              onChange={(on) => setMany([product.id], on)}
                            />
                          </li>
                        ))}
                      </ul>
                    </fieldset>
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
      </ul>
      {error && (
        <p className="form__error">
          <FieldMessage text={error} />
        </p>
      )}
    </div>
  );
}

/** The Sync Schedule: the Synchronization Schedule page's fields (saved with OK or Apply), a summary, the next three times. */
function SyncScheduleTab({
  values,
  set,
  errors,
  settings,
  browserZone,
  disabled,
}: {
  values: ScheduleFormValues;
  set: <K extends keyof ScheduleFormValues>(name: K, value: ScheduleFormValues[K]) => void;
  errors: SupFieldErrors;
  settings: SupSettingsDto;
  browserZone: string;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="schedule-tab">
      <div className="schedule-tab__fields">
        <ScheduleFields
          idPrefix={id}
          values={values}
          set={set}
          errors={errors}
          settings={settings}
          browserZone={browserZone}
          disabled={disabled}
        />
      </div>
      <div className="schedule-tab__outlook">
        <NextSyncs settings={settings} values={values} valid={scheduleIsValid(t, values)} count={3} />
        <p className="form__hint">
          {t("componentProperties.schedule.more")}{" "}
          <Link to="/administration/synchronization-schedule">{t("componentProperties.schedule.link")}</Link>
        </p>
      </div>
    </div>
  );
}

/** WSUS Maintenance: what runs after every successful sync of the top-level site. */
function MaintenanceTab({ form, set }: TabProps) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <fieldset className="form-section">
        <legend>{t("componentProperties.maintenance.legend")}</legend>
        <div className="checkbox-field">
          <input
            id={`${id}-obsolete`}
            type="checkbox"
            checked={form.removeObsoleteRevisions}
            aria-describedby={`${id}-obsolete-hint`}
            onChange={(e) => set({ removeObsoleteRevisions: e.currentTarget.checked })}
          />
          <label htmlFor={`${id}-obsolete`}>{t("componentProperties.maintenance.removeObsolete")}</label>
          <p id={`${id}-obsolete-hint`} className="form__hint">
            {t("componentProperties.maintenance.removeObsoleteHint")}
          </p>
        </div>
      </fieldset>
      <p className="form__hint">{t("componentProperties.maintenance.declineNote")}</p>
    </>
  );
}

function SupersedenceTab({ form, set, errors }: TabProps) {
  const { t } = useTranslation();
  const id = useId();
  const group = (
    kind: "all" | "feature",
    immediately: boolean,
    months: string,
    error: string | undefined,
    patch: (immediately: boolean, months?: string) => Partial<SupForm>,
  ) => (
    <fieldset className="form-section">
      <legend>
        {kind === "all" ? t("componentProperties.supersedence.all") : t("componentProperties.supersedence.feature")}
      </legend>
      <Choice
        id={`${id}-${kind}-now`}
        name={`${id}-${kind}`}
        label={t("componentProperties.supersedence.immediately")}
        checked={immediately}
        onChange={() => set(patch(true))}
      />
      <Choice
        id={`${id}-${kind}-later`}
        name={`${id}-${kind}`}
        label={t("componentProperties.supersedence.afterMonths")}
        checked={!immediately}
        onChange={() => set(patch(false))}
      />
      <div className="form__row--indented">
        <FormField
          id={`${id}-${kind}-months`}
          label={t("componentProperties.supersedence.months")}
          error={error}
          input={{
            value: months,
            inputMode: "numeric",
            className: "input--short",
            disabled: immediately,
            onChange: (e) => set(patch(false, e.currentTarget.value)),
          }}
        />
      </div>
    </fieldset>
  );
  return (
    <>
      <p className="form__hint">{t("componentProperties.supersedence.hint")}</p>
      {group("all", form.expireImmediately, form.months, errors.months, (expireImmediately, months) => ({
        expireImmediately,
        ...(months !== undefined ? { months } : {}),
      }))}
      {group(
        "feature",
        form.featureExpireImmediately,
        form.featureMonths,
        errors.featureMonths,
        (featureExpireImmediately, featureMonths) => ({
          featureExpireImmediately,
          ...(featureMonths !== undefined ? { featureMonths } : {}),
        }),
      )}
    </>
  );
}

function MaxRunTimeTab({ form, set, errors }: TabProps) {
  const { t } = useTranslation();
  const id = useId();
  const runTimeLabels = {
    feature: t("componentProperties.maxRunTime.feature"),
    windowsOrOffice: t("componentProperties.maxRunTime.windowsOrOffice"),
    other: t("componentProperties.maxRunTime.other"),
  };
  return (
    <>
      <p className="form__hint">{t("componentProperties.maxRunTime.hint")}</p>
      {(["feature", "windowsOrOffice", "other"] as const).map((field) => (
        <FormField
          key={field}
          id={`${id}-${field}`}
          label={runTimeLabels[field]}
          error={errors[field]}
          input={{
            value: form[field],
            inputMode: "numeric",
            className: "input--short",
            onChange: (e) => set({ [field]: e.currentTarget.value }),
          }}
        />
      ))}
    </>
  );
}
