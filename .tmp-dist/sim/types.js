/**
 * Result types of the simulator. `SimulationResult` is what `bountybot simulate` computes and
 * what the HTML report and the benchmark render; `PolicySummary` is the `--json` contract.
 */
export {};
//# sourceMappingURL=types.js.map