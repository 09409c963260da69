import { routeHref } from '../logic/routes';

export function OrgLink({ orgId }: { orgId: string }) {
  return <a href={routeHref({ page: 'org', orgId })}>{orgId}</a>;
}
