import { AccessCommand, DecisionContext } from './access.commands';
import { AccessError, AccessErrorCodes as Codes } from './access.errors';
import { AccessEvent } from './access.events';
import {
  AccessAggregate,
  activeApiKeys,
  ApiKey,
  findApiKey,
  findApplication,
  FullAccessApplication,
  hasFullAccess,
  pendingApplication,
} from './access.state';
import { apiKeyDigest, parseApiKey } from './api-key';
import { validLimitOverride } from './limit-override.rules';

/**
 * Every event carries the organization's active keys and models (the wire's `access`), so both are
 * bounded to keep an event, and the read models that hold them, small.
 */
export const MAX_ACTIVE_API_KEYS = 100;
export const MAX_CUSTOM_MODELS = 100;

/**
 * The rules of an organization's access: which commands the current state allows, and the facts they
 * produce. Pure: the same command, state and context always give the same events or the same refusal.
 */
export function decideAccess(
  command: AccessCommand,
  state: AccessAggregate,
  context: DecisionContext,
): AccessEvent[] {
  const at = context.now.toISOString();
  const { rules } = context;
  switch (command.type) {
    case 'SubmitFullAccessApplication': {
      if (!command.commitment) {
        throw new AccessError(
          Codes.commitmentRequired,
          'commitment must be true: the organization has to accept the usage guidelines',
          'commitment',
        );
      }
      requireActive(state, 'apply for full access');
      const pending = pendingApplication(state);
      if (pending) {
        throw new AccessError(
          Codes.applicationPending,
          `organization ${state.orgId} already has application ${pending.applicationId} pending review`,
        );
      }
      if (state.tier !== rules.defaultTier) {
        throw new AccessError(
          Codes.notEligibleToApply,
          `organization ${state.orgId} is already on tier ${state.tier}; only organizations on ${rules.defaultTier} can apply for full access`,
        );
      }
      return [
        {
          type: 'FullAccessRequested',
          applicationId: command.applicationId,
          useCase: command.useCase,
          intendedUse: command.intendedUse,
          risks: command.risks,
          commitment: true,
          by: command.submittedBy,
          at,
        },
      ];
    }
    case 'ApproveApplication': {
      const application = requirePending(state, command.applicationId, 'approved');
      requireActive(state, 'be approved for full access');
      const event: AccessEvent = {
        type: 'FullAccessApproved',
        applicationId: application.applicationId,
        from: state.tier,
        tier: rules.fullAccessTier,
        by: command.reviewer,
        at,
      };
      if (command.note !== undefined) event.note = command.note;
      return [event];
    }
    case 'RejectApplication': {
      const application = requirePending(state, command.applicationId, 'rejected');
      return [
        {
          type: 'FullAccessRejected',
          applicationId: application.applicationId,
          reason: command.reason,
          by: command.reviewer,
          at,
        },
      ];
    }
    case 'ChangeTier': {
      if (!rules.tiers.includes(command.tier)) {
        throw new AccessError(Codes.unknownTier, `tier must be one of ${rules.tiers.join(', ')}`, 'tier');
      }
      if (command.tier === state.tier) {
        throw new AccessError(
          Codes.alreadyOnTier,
          `organization ${state.orgId} is already on tier ${state.tier}`,
        );
      }
      return [
        {
          type: 'TierChanged',
          from: state.tier,
          to: command.tier,
          reason: command.reason,
          by: command.changedBy,
          at,
        },
      ];
    }
    case 'SuspendOrganization': {
      if (state.status === 'suspended') {
        throw new AccessError(Codes.alreadySuspended, `organization ${state.orgId} is already suspended`);
      }
      return [{ type: 'OrganizationSuspended', reason: command.reason, by: command.suspendedBy, at }];
    }
    case 'ReinstateOrganization': {
      if (state.status !== 'suspended') {
        throw new AccessError(
          Codes.notSuspended,
          `organization ${state.orgId} is active; only a suspended organization can be reinstated`,
        );
      }
      const event: AccessEvent = { type: 'OrganizationReinstated', by: command.reinstatedBy, at };
      if (command.reason !== undefined) event.reason = command.reason;
      return [event];
    }
    case 'SetLimitOverride': {
      requireKnownEndpoint(command.endpoint, context);
      const override = validLimitOverride(command.override, rules);
      return [{ type: 'LimitOverrideSet', endpoint: command.endpoint, override, by: command.setBy, at }];
    }
    case 'RemoveLimitOverride': {
      requireKnownEndpoint(command.endpoint, context);
      if (!(command.endpoint in state.limitOverrides)) {
        throw new AccessError(
          Codes.noLimitOverride,
          `organization ${state.orgId} has no limit override for ${command.endpoint}`,
        );
      }
      return [{ type: 'LimitOverrideRemoved', endpoint: command.endpoint, by: command.removedBy, at }];
    }
    case 'IssueApiKey': {
      const parts = parseApiKey(command.key);
      if (parts?.purpose !== command.purpose) {
        throw new AccessError(Codes.malformedApiKey, `the new key is not a ${command.purpose} key`, 'key');
      }
      requireActive(state, 'be issued API keys');
      if (command.purpose === 'production' && !hasFullAccess(state.tier, rules)) {
        throw new AccessError(
          Codes.productionKeyRequiresFullAccess,
          `organization ${state.orgId} is on ${state.tier}, which is limited to testing and experimentation; production keys need full access`,
        );
      }
      if (findApiKey(state, command.keyId)) {
        throw new AccessError(
          Codes.apiKeyIdTaken,
          `organization ${state.orgId} already has key ${command.keyId}`,
        );
      }
      if (activeApiKeys(state).length >= MAX_ACTIVE_API_KEYS) {
        throw new AccessError(
          Codes.tooManyApiKeys,
          `organization ${state.orgId} has ${MAX_ACTIVE_API_KEYS} active keys, the most it may hold; revoke one first`,
        );
      }
      const event: AccessEvent = {
        type: 'ApiKeyIssued',
        keyId: command.keyId,
        prefix: parts.prefix,
        purpose: command.purpose,
        name: command.name,
        keyDigest: apiKeyDigest(command.key),
        by: command.issuedBy,
        at,
      };
      if (command.reason !== undefined) event.reason = command.reason;
      return [event];
    }
    case 'RevokeApiKey': {
      const key = requireApiKey(state, command.keyId);
      if (key.revokedAt !== undefined) {
        throw new AccessError(
          Codes.apiKeyAlreadyRevoked,
          `key ${key.keyId} (${key.prefix}) was already revoked by ${key.revokedBy} at ${key.revokedAt}`,
        );
      }
      const event: AccessEvent = { type: 'ApiKeyRevoked', keyId: key.keyId, by: command.revokedBy, at };
      if (command.reason !== undefined) event.reason = command.reason;
      return [event];
    }
    case 'RegisterModel': {
      requireActive(state, 'register models');
      if (!hasFullAccess(state.tier, rules)) {
        throw new AccessError(
          Codes.modelRequiresFullAccess,
          `organization ${state.orgId} is on ${state.tier}; building custom models needs full access`,
        );
      }
      if (rules.models.includes(command.model)) {
        throw new AccessError(
          Codes.modelNameTaken,
          `${command.model} is a shared model of the policy; a custom model needs a name of its own`,
        );
      }
      if (state.models.some((m) => m.name === command.model)) {
        throw new AccessError(
          Codes.modelNameTaken,
          `organization ${state.orgId} has already registered a model named ${command.model}`,
        );
      }
      if (state.models.length >= MAX_CUSTOM_MODELS) {
        throw new AccessError(
          Codes.tooManyModels,
          `organization ${state.orgId} has registered ${MAX_CUSTOM_MODELS} models, the most it may hold`,
        );
      }
      return [{ type: 'ModelRegistered', model: command.model, by: command.registeredBy, at }];
    }
  }
}

function requireApiKey(state: AccessAggregate, keyId: string): ApiKey {
  const key = findApiKey(state, keyId);
  if (!key) {
    throw new AccessError(Codes.apiKeyNotFound, `organization ${state.orgId} has no key ${keyId}`);
  }
  return key;
}

function requireActive(state: AccessAggregate, to: string): void {
  if (state.status === 'suspended') {
    throw new AccessError(
      Codes.organizationSuspended,
      `organization ${state.orgId} is suspended and cannot ${to}; reinstate it first`,
    );
  }
}

function requirePending(
  state: AccessAggregate,
  applicationId: string,
  decision: string,
): FullAccessApplication {
  const application = findApplication(state, applicationId);
  if (!application) {
    throw new AccessError(Codes.applicationNotFound, `application ${applicationId} does not exist`);
  }
  if (application.status !== 'pending') {
    throw new AccessError(
      Codes.applicationAlreadyDecided,
      `application ${applicationId} was already ${application.status}${application.decidedBy ? ` by ${application.decidedBy}` : ''}; it cannot be ${decision}`,
    );
  }
  return application;
}

function requireKnownEndpoint(endpoint: string, context: DecisionContext): void {
  if (!context.rules.endpoints.includes(endpoint)) {
    throw new AccessError(
      Codes.unknownEndpoint,
      `endpoint must be one of ${context.rules.endpoints.join(', ')}`,
      'endpoint',
    );
  }
}
