import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthTokens, Role } from './auth-tokens';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/**
 * Installed globally by PlatformModule, so a new route is closed (admin only) until it says who may call
 * it. 401 for a missing or unknown token, 403 for a role that may not.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AuthTokens,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // gRPC is served by grpc-js beside Nest and checked there (withGrpcAuth); only HTTP reaches this guard.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const verdict = this.tokens.authorize(request.headers.authorization, allowed);
    switch (verdict.kind) {
      case 'allowed':
        return true;
      case 'unauthenticated':
        throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: verdict.message });
      case 'forbidden':
        throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: verdict.message });
    }
  }
}
