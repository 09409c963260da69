import { useConsole } from '../../console-context';
import { usePolling } from '../../hooks';
import { TableRegion } from '../../components/table-region';
import { formatDateTime } from '../../logic/format';

const when = (value: string | null | undefined) => (value ? formatDateTime(value) : '–');

/** The organization's API keys, once the tier app has them; left out while it answers 404. */
export function KeysSection({ orgId }: { orgId: string }) {
  const { api } = useConsole();
  const keys = usePolling(() => api.keys(orgId), [api, orgId]);
  // Nothing while loading, nor while the tier app has no keys route.
  if (keys.data === undefined || keys.data === null) return null;
  return (
    <section aria-labelledby="keys-heading" class="panel">
      <h2 id="keys-heading">API keys</h2>
      {keys.data.length === 0 ? (
        <p class="empty">No keys.</p>
      ) : (
        <TableRegion label="API keys">
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Revoked</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.keyId}>
                  <th scope="row">
                    <code>{key.prefix ?? key.keyId}</code>
                  </th>
                  <td>{key.name ?? '–'}</td>
                  <td>{when(key.createdAt)}</td>
                  <td>{when(key.lastUsedAt)}</td>
                  <td>{when(key.revokedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </section>
  );
}
