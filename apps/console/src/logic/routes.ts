/** The console's pages, addressed by the URL's fragment so that the tier app serves one page only. */
export type Route =
  { page: 'queue' } | { page: 'org'; orgId: string } | { page: 'denials' } | { page: 'top' };

/** The tier app's rule for organization ids. */
export const ORG_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The page of a URL fragment; the review queue for an empty one, undefined for one that names none. */
export function parseRoute(hash: string): Route | undefined {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (path === '' || path === 'queue') return { page: 'queue' };
  if (path === 'denials') return { page: 'denials' };
  if (path === 'top') return { page: 'top' };
  const org = /^orgs\/([^/]+)$/.exec(path);
  if (org) {
    const orgId = safeDecode(org[1]);
    if (orgId !== undefined && ORG_ID_PATTERN.test(orgId)) return { page: 'org', orgId };
  }
  return undefined;
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'queue':
      return '#/queue';
    case 'org':
      return `#/orgs/${encodeURIComponent(route.orgId)}`;
    case 'denials':
      return '#/denials';
    case 'top':
      return '#/top';
  }
}

export function routeTitle(route: Route | undefined): string {
  switch (route?.page) {
    case undefined:
      return 'Page not found';
    case 'queue':
      return 'Review queue';
    case 'org':
      return `Organization ${route.orgId}`;
    case 'denials':
      return 'Denials';
    case 'top':
      return 'Top organizations';
  }
}

function safeDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}
