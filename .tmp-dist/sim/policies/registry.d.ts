import type { SimPolicyDefinition } from '../policy-context.js';
/** Every policy, in the order `--policy all` runs and reports them. */
export declare const POLICIES: readonly SimPolicyDefinition[];
export declare const POLICY_NAMES: readonly string[];
export declare function findPolicy(name: string): SimPolicyDefinition | undefined;
