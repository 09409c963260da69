import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error';
import type { Organization } from '../../api/types';
import { useConsole } from '../../console-context';

interface Props {
  organization: Organization;
  onChanged(): void;
}

/** An admin's changes to the organization's access: suspend or reinstate, and change its tier. */
export function OrgActions({ organization, onChanged }: Props) {
  const { api, announce } = useConsole();
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string }>();
  const [busy, setBusy] = useState(false);
  const { orgId } = organization;

  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      setOutcome({ ok: true, message: done });
      announce(done);
      onChanged();
      return true;
    } catch (error) {
      setOutcome({ ok: false, message: describeError(error) });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const tiers = [
    ...new Set(
      [organization.tier, ...organization.history.flatMap((e) => [e.from, e.to, e.tier])].filter(
        (t): t is string => typeof t === 'string',
      ),
    ),
  ];

  return (
    <div class="actions">
      <h3>Change access</h3>
      {outcome && (
        <p class={outcome.ok ? 'success' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.message}
        </p>
      )}
      {organization.status === 'active' ? (
        <ReasonForm
          id="suspend"
          label="Reason for suspending (required)"
          button="Suspend"
          danger
          required
          busy={busy}
          onSubmit={(reason) => run(() => api.suspend(orgId, reason), `Suspended ${orgId}.`)}
        />
      ) : (
        <ReasonForm
          id="reinstate"
          label="Reason for reinstating (optional)"
          button="Reinstate"
          busy={busy}
          onSubmit={(reason) => run(() => api.reinstate(orgId, reason || undefined), `Reinstated ${orgId}.`)}
        />
      )}
      <TierForm
        current={organization.tier}
        tiers={tiers}
        busy={busy}
        onSubmit={(tier, reason) =>
          run(() => api.changeTier(orgId, tier, reason), `Moved ${orgId} to ${tier}.`)
        }
      />
    </div>
  );
}

interface ReasonFormProps {
  id: string;
  label: string;
  button: string;
  required?: boolean;
  danger?: boolean;
  busy: boolean;
  onSubmit(reason: string): Promise<boolean>;
}

function ReasonForm({ id, label, button, required, danger, busy, onSubmit }: ReasonFormProps) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (required && reason.trim() === '') return setMissing(true);
    setMissing(false);
    if (await onSubmit(reason.trim())) setReason('');
  };
  return (
    <form class="inline-form" onSubmit={(e) => void submit(e)} noValidate>
      <div class="field">
        <label for={`${id}-reason`}>{label}</label>
        <input
          id={`${id}-reason`}
          type="text"
          value={reason}
          aria-required={required ? 'true' : undefined}
          aria-invalid={missing ? 'true' : undefined}
          aria-describedby={missing ? `${id}-reason-error` : undefined}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        {missing && (
          <p id={`${id}-reason-error`} class="field-error" role="alert">
            A reason is required.
          </p>
        )}
      </div>
      <button type="submit" class={danger ? 'danger' : undefined} disabled={busy}>
        {button}
      </button>
    </form>
  );
}

function TierForm({
  current,
  tiers,
  busy,
  onSubmit,
}: {
  current: string;
  tiers: string[];
  busy: boolean;
  onSubmit(tier: string, reason: string): Promise<boolean>;
}) {
  const [tier, setTier] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (tier.trim() === '') return setProblem('Name the tier to move to.');
    if (tier.trim() === current) return setProblem(`The organization is already on ${current}.`);
    if (reason.trim() === '') return setProblem('A reason is required.');
    setProblem(undefined);
    if (await onSubmit(tier.trim(), reason.trim())) {
      setTier('');
      setReason('');
    }
  };
  return (
    <form class="inline-form" onSubmit={(e) => void submit(e)} noValidate>
      <div class="field">
        <label for="tier-name">New tier</label>
        <input
          id="tier-name"
          type="text"
          list="tier-names"
          value={tier}
          onInput={(e) => setTier(e.currentTarget.value)}
        />
        <datalist id="tier-names">
          {tiers.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </div>
      <div class="field">
        <label for="tier-reason">Reason (required)</label>
        <input
          id="tier-reason"
          type="text"
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </div>
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" disabled={busy}>
        Change tier
      </button>
    </form>
  );
}
