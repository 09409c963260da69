import { ACCESS_POLICY, ConfigError } from '@metergate/platform';
import { AccessPolicy, AccessRules } from '@metergate/policy';
import { TierConfig } from '../tier.config';

/** Injection token of the AccessRules the decider applies, derived from the policy file at boot. */
export const ACCESS_RULES = Symbol('AccessRules');

export const accessRulesProvider = {
  provide: ACCESS_RULES,
  inject: [ACCESS_POLICY, TierConfig],
  useFactory: (policy: AccessPolicy, config: TierConfig): AccessRules => {
    const tiers = Object.keys(policy.tiers);
    if (!tiers.includes(config.FULL_ACCESS_TIER)) {
      throw new ConfigError(
        `FULL_ACCESS_TIER=${config.FULL_ACCESS_TIER}: must be one of the policy's tiers (${tiers.join(', ')})`,
      );
    }
    return {
      defaultTier: policy.defaultTier,
      fullAccessTier: config.FULL_ACCESS_TIER,
      tiers,
      endpoints: policy.endpoints,
      models: policy.models,
    };
  },
};
