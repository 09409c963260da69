import { SetMetadata } from '@nestjs/common';
import type { Role } from './auth-tokens';

export const ROLES_KEY = 'metergate:roles';
export const PUBLIC_KEY = 'metergate:public';

/** The roles that may call a route (admin always may). A route with neither this nor @Public is admin-only. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Open without a token: health, readiness and metrics, which probes and scrapers call. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
