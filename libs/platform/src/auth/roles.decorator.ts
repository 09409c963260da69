import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from './auth-tokens';

export const ROLES_KEY = 'metergate:roles';
export const PUBLIC_KEY = 'metergate:public';

/** The roles that may call a route (admin always may). A route with neither this nor @Public is admin-only. */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    // The same rule, told to /docs: which token to send and what a wrong one gets.
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No bearer token, or one that is not configured' }),
    ApiForbiddenResponse({ description: `Only for ${[...new Set([...roles, 'admin'])].join(' or ')}` }),
  );

/** Open without a token: health, readiness and metrics, which probes and scrapers call. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
