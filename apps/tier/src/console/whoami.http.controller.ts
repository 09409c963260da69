import { Controller, Get, Headers } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthTokens, Roles, bearerToken } from '@metergate/platform';

export interface Whoami {
  role: 'analyst' | 'admin';
}

/** Tells the console which role the signed-in token has, so it shows admins' actions to admins only. */
@ApiTags('console')
@Roles('analyst')
@Controller('v1/whoami')
export class WhoamiHttpController {
  constructor(private readonly tokens: AuthTokens) {}

  @Get()
  @ApiOkResponse({ description: "The caller's role: analyst (reads) or admin (reads and acts)." })
  whoami(@Headers('authorization') authorization: string | undefined): Whoami {
    // The guard let the token through as analyst or admin; a token configured for both is an admin.
    const roles = this.tokens.rolesOf(bearerToken(authorization) ?? '');
    return { role: roles.has('admin') ? 'admin' : 'analyst' };
  }
}
