/**
 * `fixed`: N workers, always (the seed's "fixed capacity"). N comes from `--fixed-workers`, else
 * the scenario's stated fleet (campaign-spike: 3, nights-weekends: the seed's 10), else
 * fixed-peak's N (the registry reuses that search's run).
 */
import type { ScalingPolicy } from '../../control/interfaces.js';
export declare function createFixedPolicy(workers: number, name?: string): ScalingPolicy;
