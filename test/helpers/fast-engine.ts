/** Engine settings scaled from minutes to seconds, for tests that run a live controller for under a minute. */

/** The `autoscaling:` YAML; `extra` lines (two-space indented keys) are appended inside the section. */
export function fastEngineYaml(databasePath: string, opts: { maxWorkers: number; hourlyBudget: number; extra?: readonly string[] }): string {
  return [
    'autoscaling:',
    '  min_workers: 1',
    `  max_workers: ${opts.maxWorkers}`,
    '  target_queue_depth: 4',
    '  target_latency_seconds: 2',
    '  cooldown_minutes: 0.05',
    '  scale_up_cooldown_minutes: 0.02',
    '  worker_startup_seconds: 2',
    '  target_wait_seconds: 1',
    '  backlog_drain_seconds: 5',
    '  default_service_seconds: 0.4',
    '  scale_down_stabilization_seconds: 4',
    '  prediction_horizon_minutes: 1',
    '  metrics_window_minutes: 1',
    '  evaluation_interval_seconds: 1',
    `  database_path: ${JSON.stringify(databasePath)}`,
    ...(opts.extra ?? []),
    '  cost_config:',
    `    hourly_budget: ${opts.hourlyBudget}`,
    '    daily_budget: 500',
    '    monthly_budget: 5000',
    '    cost_per_worker_hour: 2',
    '',
  ].join('\n');
}

interface LogLine { msg: string; url?: string }

/** The URL a `bountybot run` child logged when its HTTP server listened (throws if it exited first). */
export function listeningUrl(stdout: string, exitCode: number | null, stderr: string): string | undefined {
  if (exitCode !== null) throw new Error(`controller exited (${exitCode}): ${stderr}`);
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine)
    .find((l) => l.msg === 'http server listening')?.url;
}
