import { useState } from 'preact/hooks';
import { describeError, type FieldProblem } from '../../api/api-error';
import type { LimitOverride, LimitOverrideEntry, Organization } from '../../api/types';
import { useConsole } from '../../console-context';
import { TableRegion } from '../../components/table-region';
import { formatLimit } from '../../logic/format';
import { describeOverrideEntry, parseLimitOverride, type WindowInput } from '../../logic/limit-override-form';

interface Props {
  organization: Organization;
  /** Endpoints the console knows of, offered in the form; the API checks the name against the policy. */
  knownEndpoints: string[];
  onChanged(): void;
}

/** The organization's own limits in place of its tier's, per endpoint; admins set and remove them. */
export function LimitsSection({ organization, knownEndpoints, onChanged }: Props) {
  const { api, role, announce } = useConsole();
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string }>();
  const overrides = Object.entries(organization.limitOverrides).sort(([a], [b]) => a.localeCompare(b));
  const { orgId } = organization;

  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      setOutcome({ ok: true, message: done });
      announce(done);
      onChanged();
      return true;
    } catch (error) {
      setOutcome({ ok: false, message: describeError(error) });
      return false;
    }
  };

  return (
    <section aria-labelledby="limits-heading" class="panel">
      <h2 id="limits-heading">Limit overrides</h2>
      {outcome && (
        <p class={outcome.ok ? 'success' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.message}
        </p>
      )}
      {overrides.length === 0 ? (
        <p class="empty">None: the {organization.tier} tier's limits apply to every endpoint.</p>
      ) : (
        <TableRegion label="Limit overrides">
          <table>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col" class="num">
                  Per minute
                </th>
                <th scope="col" class="num">
                  Per day
                </th>
                <th scope="col">Other limits</th>
                {role === 'admin' && <th scope="col">Action</th>}
              </tr>
            </thead>
            <tbody>
              {overrides.map(([endpoint, override]) => (
                <tr key={endpoint}>
                  <th scope="row">{endpoint}</th>
                  <td class="num">{formatLimit(override.perMinute)}</td>
                  <td class="num">{formatLimit(override.perDay)}</td>
                  <td>
                    {(override.limits ?? []).length === 0
                      ? '—'
                      : (override.limits ?? []).map((entry) => (
                          <div key={`${entry.unit} ${entry.window} ${entry.model ?? ''}`}>
                            {describeOverrideEntry(entry)}
                          </div>
                        ))}
                  </td>
                  {role === 'admin' && (
                    <td>
                      <button
                        type="button"
                        class="link-button"
                        aria-label={`Remove the override of ${endpoint}`}
                        onClick={() =>
                          void run(
                            () => api.removeLimitOverride(orgId, endpoint),
                            `Removed the override of ${endpoint}.`,
                          )
                        }
                      >
                        Remove
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {role === 'admin' && (
        <OverrideForm
          endpoints={[...new Set([...Object.keys(organization.limitOverrides), ...knownEndpoints])]}
          keptOf={(endpoint) => organization.limitOverrides[endpoint]?.limits ?? []}
          onSubmit={(endpoint, override) =>
            run(() => api.setLimitOverride(orgId, endpoint, override), `Set the limits of ${endpoint}.`)
          }
        />
      )}
    </section>
  );
}

function OverrideForm({
  endpoints,
  keptOf,
  onSubmit,
}: {
  endpoints: string[];
  /** The endpoint's limits of the general form, which the form keeps as they are. */
  keptOf(endpoint: string): LimitOverrideEntry[];
  onSubmit(endpoint: string, override: LimitOverride): Promise<boolean>;
}) {
  const [endpoint, setEndpoint] = useState('');
  const [perMinute, setPerMinute] = useState<WindowInput>({ mode: 'tier', cap: '' });
  const [perDay, setPerDay] = useState<WindowInput>({ mode: 'tier', cap: '' });
  const [problems, setProblems] = useState<FieldProblem[]>([]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const parsed = parseLimitOverride(endpoint, perMinute, perDay, keptOf(endpoint.trim()));
    if ('problems' in parsed) return setProblems(parsed.problems);
    setProblems([]);
    if (await onSubmit(parsed.endpoint, parsed.override)) {
      setEndpoint('');
      setPerMinute({ mode: 'tier', cap: '' });
      setPerDay({ mode: 'tier', cap: '' });
    }
  };

  return (
    <form
      class="override-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="override-form-heading"
    >
      <h3 id="override-form-heading">Set an override</h3>
      <div class="field">
        <label for="override-endpoint">Endpoint</label>
        <input
          id="override-endpoint"
          type="text"
          list="override-endpoints"
          value={endpoint}
          onInput={(e) => setEndpoint(e.currentTarget.value)}
        />
        <datalist id="override-endpoints">
          {endpoints.map((e) => (
            <option key={e} value={e} />
          ))}
        </datalist>
      </div>
      <WindowField id="override-per-minute" label="Per minute" value={perMinute} onChange={setPerMinute} />
      <WindowField id="override-per-day" label="Per day" value={perDay} onChange={setPerDay} />
      {keptOf(endpoint.trim()).length > 0 && (
        <p class="hint">The other limits of {endpoint.trim()} (set through the API or the CLI) are kept.</p>
      )}
      {problems.length > 0 && (
        <ul class="field-error" role="alert">
          {problems.map((p) => (
            <li key={p.field + p.message}>{p.message}</li>
          ))}
        </ul>
      )}
      <button type="submit">Set override</button>
    </form>
  );
}

function WindowField({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: WindowInput;
  onChange(value: WindowInput): void;
}) {
  return (
    <fieldset class="window-field">
      <legend>{label}</legend>
      <label for={`${id}-mode`} class="visually-hidden">
        {label}: which cap
      </label>
      <select
        id={`${id}-mode`}
        value={value.mode}
        onChange={(e) => onChange({ ...value, mode: e.currentTarget.value as WindowInput['mode'] })}
      >
        <option value="tier">Tier default</option>
        <option value="none">No cap</option>
        <option value="cap">Cap at…</option>
      </select>
      {value.mode === 'cap' && (
        <>
          <label for={`${id}-cap`} class="visually-hidden">
            {label}: cap
          </label>
          <input
            id={`${id}-cap`}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={value.cap}
            onInput={(e) => onChange({ ...value, cap: e.currentTarget.value })}
          />
        </>
      )}
    </fieldset>
  );
}
