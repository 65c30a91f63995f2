import { WorkloadPredictor } from './src/autoscaling/predictor.ts';
const p = new WorkloadPredictor();
let t = Date.UTC(2025, 0, 6, 10);
const feed = (rate: number, n: number) => { for (let i = 0; i < n; i++) { t += 15000; p.addSample({ timestamp: new Date(t), validationsPerMinute: rate, queueDepth: 0, avgLatencySeconds: 2, activeWorkers: 3 }); } };
feed(5, 8); feed(360, 8);
for (let k = 0; k < 16; k++) { feed(0, 1); const r = p.predict(5); console.log(k, r.predictedValidationsPerMinute.toFixed(1), p.forecastMeanRate(0, 1).toFixed(1), r.predictedQueueDepth, r.trend); }
