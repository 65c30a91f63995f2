import { AutoScalingMetricsCollector } from '../autoscaling/collector.js';
import { CostOptimizer } from '../autoscaling/cost.js';
import { ScalingEngine } from '../autoscaling/engine.js';
import { WorkloadPredictor } from '../autoscaling/predictor.js';
import { runSpikeDemo } from './demo-spike.js';
const pct = (x) => `${(x * 100).toFixed(1)}%`;
export function predictorExample(print, start) {
    print('## 1. ML-based workload prediction');
    const predictor = new WorkloadPredictor({ historySize: 1000 });
    // Thirty minutes of history at one sample a minute, with load rising from 4 to 7 validations/min.
    for (let i = 0; i < 30; i++) {
        predictor.addSample({
            timestamp: new Date(start.getTime() + i * 60_000),
            validationsPerMinute: 4 + i * 0.1,
            queueDepth: 10,
            avgLatencySeconds: 25,
            activeWorkers: 3,
        });
    }
    const prediction = predictor.predict(5);
    print(`Predicted rate: ${prediction.predictedValidationsPerMinute.toFixed(1)}/min`);
    print(`Predicted queue: ${prediction.predictedQueueDepth}`);
    print(`Confidence: ${pct(prediction.confidence)}`);
    print(`Trend: ${prediction.trend}`);
}
export function engineExample(print, start) {
    print('## 2. Multi-metric scaling decisions');
    const engine = new ScalingEngine({ minWorkers: 1, maxWorkers: 10, targetQueueDepth: 10, targetLatencySeconds: 30, scaleUpThreshold: 0.7, scaleDownThreshold: 0.3, cooldownMinutes: 5 }, { clock: () => start });
    const metrics = { queueDepth: 25, validationsPerMinute: 8, avgLatencySeconds: 45, activeWorkers: 3, currentCostPerHour: 6 };
    engine.addMetrics(metrics);
    const decision = engine.makeDecision(metrics);
    print(`Action: ${decision.action}`);
    print(`Target workers: ${decision.targetWorkers}`);
    print(`Confidence: ${pct(decision.confidence)}`);
    print('Reasoning:');
    for (const r of decision.reasoning)
        print(`  - ${r}`);
}
export function costExample(print, start) {
    print('## 3. Cost-aware scaling');
    const optimizer = new CostOptimizer({ hourlyBudget: 10, dailyBudget: 200, monthlyBudget: 5000, costPerWorkerHour: 2 }, { clock: () => start });
    optimizer.updateCosts({ hourCost: 7.5, dayCost: 150, monthCost: 3500 });
    const check = optimizer.canScaleUp(3, 5);
    print(check.allowed ? `✓ Can scale up: ${check.reason}` : `✗ Cannot scale up: ${check.reason}`);
    print(`  (largest affordable fleet: ${check.maxAffordableWorkers})`);
    const status = optimizer.getBudgetStatus();
    print(`Hourly utilization: ${pct(status.hourly.utilization)}`);
    print(`Status: ${status.hourly.status}`);
    for (const rec of optimizer.getCostRecommendations(3))
        print(rec);
}
export function collectorExample(print, start) {
    print('## 4. Real-time metrics collection');
    let nowMs = start.getTime();
    const collector = new AutoScalingMetricsCollector({ windowMinutes: 5, clock: () => new Date(nowMs) });
    collector.startValidation('val-001');
    nowMs += 23_000; // the validation takes 23 s
    collector.endValidation('val-001', { success: true });
    const metrics = collector.getCurrentMetrics();
    print(`Queue depth: ${metrics.queueDepth}`);
    print(`Validations/min: ${metrics.validationsPerMinute.toFixed(2)}`);
    print(`Avg latency: ${metrics.avgLatencySeconds.toFixed(2)}s`);
    print(`Success rate: ${pct(metrics.successRate)}`);
    const stats = collector.getStatistics();
    print(`Total validations: ${stats.totalValidations}`);
    print(`Success rate: ${pct(stats.overallSuccessRate)}`);
    print(`Queue trend: ${stats.queueDepthTrend}`);
    print(`Latency trend: ${stats.latencyTrend}`);
}
export async function runDemo(print = (l) => process.stdout.write(`${l}\n`)) {
    // A fixed instant at the start of an hour keeps the demo's output the same on every run.
    const start = new Date('2025-10-20T08:00:00Z');
    predictorExample(print, start);
    print('');
    engineExample(print, start);
    print('');
    costExample(print, start);
    print('');
    collectorExample(print, start);
    print('');
    await runSpikeDemo(print);
}
export function registerDemo(program) {
    program
        .command('demo')
        .description("run the brief's four examples, then a simulated campaign spike with each decision's reasoning")
        .action(async () => {
        await runDemo();
    });
}
//# sourceMappingURL=demo.js.map