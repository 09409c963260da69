import { LimitOverride } from './limits/limit-override';

/** An organization's access as the rules need it; undefined: the default tier, active. */
export interface OrgAccess {
  tier: string;
  status: 'active' | 'suspended';
  limitOverrides: Record<string, LimitOverride>;
  /** The access stream position this state reflects; a newer one replaces it. */
  version: number;
  /** The organization's own (fine-tuned) models, usable on tiers that allow custom models. */
  models?: readonly string[];
}
