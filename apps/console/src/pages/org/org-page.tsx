import { useConsole } from '../../console-context';
import { usePolling } from '../../hooks';
import { LoadState } from '../../components/load-state';
import { QuotaGauge } from '../../components/quota-gauge';
import { HistorySection } from './history-section';
import { KeysSection } from './keys/keys-section';
import { LimitsSection } from './limits-section';
import { OrgActions } from './org-actions';
import { OrgDenialsSection } from './org-denials-section';
import { UsageSection } from './usage-section';

/** One organization: access, quotas, usage, limits, keys, denials and history. */
export function OrgPage({ orgId }: { orgId: string }) {
  const { api, role } = useConsole();
  const org = usePolling(async () => {
    const [access, quota] = await Promise.all([api.organization(orgId), api.quota(orgId)]);
    return { access, quota };
  }, [api, orgId]);

  return (
    <>
      <h1>
        Organization <span class="org-id">{orgId}</span>
      </h1>
      <LoadState polled={org}>
        {({ access, quota }) => (
          <>
            <section aria-labelledby="access-heading" class="panel">
              <h2 id="access-heading" class="visually-hidden">
                Access
              </h2>
              <dl class="summary">
                <div>
                  <dt>Tier</dt>
                  <dd>
                    <span class="badge">{access.tier}</span>
                  </dd>
                </div>
                <div>
                  <dt>Status</dt>
                  <dd>
                    <span class={access.status === 'active' ? 'badge badge-good' : 'badge badge-bad'}>
                      {access.status}
                    </span>
                  </dd>
                </div>
                <div>
                  <dt>Changes</dt>
                  <dd>{access.version}</dd>
                </div>
              </dl>
              {role === 'admin' && <OrgActions organization={access} onChanged={org.refresh} />}
            </section>
            <section aria-labelledby="quota-heading" class="panel">
              <h2 id="quota-heading">Quotas</h2>
              {quota.quotas.length === 0 ? (
                <p class="empty">The {quota.tier} tier has no quotas.</p>
              ) : (
                quota.quotas.map((q) => <QuotaGauge key={q.name} quota={q} />)
              )}
            </section>
            <UsageSection orgId={orgId} />
            <LimitsSection
              organization={access}
              knownEndpoints={quota.quotas.flatMap((q) => q.endpoints)}
              onChanged={org.refresh}
            />
            <KeysSection orgId={orgId} onChanged={org.refresh} />
            <OrgDenialsSection orgId={orgId} />
            <HistorySection organization={access} />
          </>
        )}
      </LoadState>
    </>
  );
}
