import { useState } from 'preact/hooks';
import type { FieldProblem } from '../../../api/api-error';
import { API_KEY_PURPOSES, type ApiKeyPurpose } from '../../../api/types';
import { MAX_KEY_NAME, parseIssueKey } from '../../../logic/api-key-form';

interface Props {
  busy: boolean;
  /** Resolves true once the key is issued, so that the form is cleared. */
  onSubmit(purpose: ApiKeyPurpose, name: string): Promise<boolean>;
}

const PURPOSE_LABELS: Record<ApiKeyPurpose, string> = {
  trial: 'Trial: testing and experimentation',
  production: 'Production: needs full access',
};

/** An admin issues a key: what it is for and a name to tell it apart. */
export function IssueKeyForm({ busy, onSubmit }: Props) {
  const [purpose, setPurpose] = useState<string>('trial');
  const [name, setName] = useState('');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const nameProblem = problems.find((p) => p.field === 'name');

  const submit = async (event: Event) => {
    event.preventDefault();
    const parsed = parseIssueKey(purpose, name);
    if ('problems' in parsed) return setProblems(parsed.problems);
    setProblems([]);
    if (await onSubmit(parsed.purpose, parsed.name)) setName('');
  };

  return (
    <form class="inline-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="issue-key-heading">
      <h3 id="issue-key-heading" class="form-heading">
        Issue a key
      </h3>
      <div class="field">
        <label for="key-purpose">Purpose</label>
        <select id="key-purpose" value={purpose} onChange={(e) => setPurpose(e.currentTarget.value)}>
          {API_KEY_PURPOSES.map((p) => (
            <option key={p} value={p}>
              {PURPOSE_LABELS[p]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="key-name">Name (required)</label>
        <input
          id="key-name"
          type="text"
          value={name}
          maxLength={MAX_KEY_NAME}
          aria-required="true"
          aria-invalid={nameProblem ? 'true' : undefined}
          aria-describedby={nameProblem ? 'key-name-error' : undefined}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </div>
      {problems.length > 0 && (
        <ul id="key-name-error" class="field-error" role="alert">
          {problems.map((p) => (
            <li key={p.field}>{p.message}</li>
          ))}
        </ul>
      )}
      <button type="submit" disabled={busy}>
        Issue key
      </button>
    </form>
  );
}
