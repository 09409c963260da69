import { useState } from 'preact/hooks';
import { describeError } from '../../../api/api-error';
import type { ApiKey, ApiKeyPurpose, IssuedApiKey } from '../../../api/types';
import { useConsole } from '../../../console-context';
import { usePolling } from '../../../hooks';
import { LoadState } from '../../../components/load-state';
import { TableRegion } from '../../../components/table-region';
import { formatDateTime } from '../../../logic/format';
import { IssueKeyForm } from './issue-key-form';
import { NewKeySecret } from './new-key-secret';
import { RevokeKeyConfirmation } from './revoke-key-confirmation';

interface Props {
  orgId: string;
  /** Issuing and revoking are access events: the page's history shows them. */
  onChanged(): void;
}

/** The organization's API keys: everyone reads the list; admins issue keys and revoke them. */
export function KeysSection({ orgId, onChanged }: Props) {
  const { api, role, announce } = useConsole();
  const keys = usePolling(() => api.keys(orgId), [api, orgId]);
  // The secret lives here only, until the admin hides it or leaves the page.
  const [issued, setIssued] = useState<IssuedApiKey>();
  const [revoking, setRevoking] = useState<ApiKey>();
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string }>();
  const [busy, setBusy] = useState(false);
  const admin = role === 'admin';

  const run = async <T,>(action: () => Promise<T>, failure: string): Promise<T | undefined> => {
    setBusy(true);
    try {
      return await action();
    } catch (error) {
      setOutcome({ ok: false, message: `${failure}: ${describeError(error)}` });
      return undefined;
    } finally {
      setBusy(false);
      keys.refresh();
      onChanged();
    }
  };

  const issue = async (purpose: ApiKeyPurpose, name: string) => {
    setOutcome(undefined);
    const key = await run(() => api.issueKey(orgId, purpose, name), 'Could not issue the key');
    if (!key) return false;
    setIssued(key);
    announce(`Issued ${purpose} key ${key.prefix}. Copy it now: it is shown only this once.`);
    return true;
  };

  const revoke = async (key: ApiKey, reason: string | undefined) => {
    setOutcome(undefined);
    const revoked = await run(
      () => api.revokeKey(orgId, key.keyId, reason),
      `Could not revoke ${key.prefix}`,
    );
    setRevoking(undefined);
    if (!revoked) return;
    const message = `Revoked ${revoked.prefix} (${revoked.name}).`;
    setOutcome({ ok: true, message });
    announce(message);
  };

  return (
    <section aria-labelledby="keys-heading" class="panel">
      <h2 id="keys-heading">API keys</h2>
      {issued && <NewKeySecret issued={issued} onDone={() => setIssued(undefined)} />}
      {outcome && (
        <p class={outcome.ok ? 'success' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.message}
        </p>
      )}
      {revoking && (
        <RevokeKeyConfirmation
          apiKey={revoking}
          busy={busy}
          onConfirm={(reason) => void revoke(revoking, reason)}
          onCancel={() => setRevoking(undefined)}
        />
      )}
      <LoadState polled={keys}>
        {(list) =>
          list.length === 0 ? (
            <p class="empty">No keys yet.</p>
          ) : (
            <TableRegion label="Key list">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Name</th>
                    <th scope="col">Purpose</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                    <th scope="col">Revoked</th>
                    {admin && <th scope="col">Action</th>}
                  </tr>
                </thead>
                <tbody>
                  {list.map((key) => (
                    <KeyRow key={key.keyId} apiKey={key} admin={admin} onRevoke={() => setRevoking(key)} />
                  ))}
                </tbody>
              </table>
            </TableRegion>
          )
        }
      </LoadState>
      {admin && <IssueKeyForm busy={busy} onSubmit={issue} />}
    </section>
  );
}

function KeyRow({ apiKey, admin, onRevoke }: { apiKey: ApiKey; admin: boolean; onRevoke(): void }) {
  const active = apiKey.status === 'active';
  return (
    <tr>
      <th scope="row">
        <code>{apiKey.prefix}</code>
      </th>
      <td class="wrap">{apiKey.name}</td>
      <td>{apiKey.purpose}</td>
      <td>
        <span class={active ? 'badge badge-good' : 'badge badge-bad'}>{apiKey.status}</span>
      </td>
      <td>
        <time dateTime={apiKey.createdAt}>{formatDateTime(apiKey.createdAt)}</time>
        <br />
        <span class="muted">by {apiKey.createdBy}</span>
      </td>
      <td>
        {apiKey.revokedAt ? (
          <>
            <time dateTime={apiKey.revokedAt}>{formatDateTime(apiKey.revokedAt)}</time>
            <br />
            <span class="muted">by {apiKey.revokedBy}</span>
          </>
        ) : (
          '–'
        )}
      </td>
      {admin && (
        <td>
          {active && (
            <button
              type="button"
              class="link-button danger-link"
              aria-label={`Revoke ${apiKey.prefix} (${apiKey.name})`}
              onClick={onRevoke}
            >
              Revoke
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
