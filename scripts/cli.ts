/**
 * gomeet-capacity — the command line.
 *
 *   run     [--profile P] [--target FILE] [--out DIR] [--gate strict]   load + verdict + reports
 *           [--runners N] [--plan] [--cluster --context C [--dry-run]]   N k6 runners / sizing / k6-operator
 *   search  --dimension D [--start N --step N --max N] [--target FILE]   capacity search: the knee and the curve
 *   stack   up|down|status                                              the local reference stack
 *   setup                                                               install/build what is missing
 *   bundle                                                              esbuild the k6 scenarios
 *   report  compare BASE NEW | history                                  read finished runs back
 *   smoke   [--target FILE] [--profile P] [--json]                      pre-flight checks alone (exit 2 if one blocks)
 *           --conformance [--context C] [--snapshot FILE]               the cluster against the seed's sizing
 *   cluster up|down|status|prepare --context C [--dry-run]              a GoMeet stack on Kubernetes
 *           [--namespace N] [--image-tag T] [--domain D] [--out DIR]      (deploy/gomeet, scripts/cluster)
 *   limits  [--gateway URL] [--api-limit N --ws-limit N --period-sec S]  the gateway's rate limits: 429s exactly past them
 *
 * Each command lives in its own module and is imported lazily so `--help` stays instant.
 * Any UsageError becomes one line on stderr and exit 2 (no load is sent before validation).
 */
import { Command, CommanderError } from 'commander';
import { EXIT, UsageError, usageLine } from './exit-codes.ts';

const program = new Command()
  .name('gomeet-capacity')
  .description('Capacity validation for GoMeet: load, measure, and answer GO / NO-GO against the deployment guide.')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');

program
  .command('run')
  .description('run a load profile against a target and write verdict.json, report.md, junit.xml, report.html')
  .option('--profile <name>', 'load profile: smoke | nightly | release | full', 'smoke')
  .option('--target <file>', 'target YAML; without it the local reference stack is brought up and used')
  .option('--out <dir>', 'output directory (default: runs/<run id>)')
  .option('--gate <mode>', "'strict' makes WARN exit 1 like NO_GO", 'normal')
  .option('--keep-stack', 'leave a local stack this run started running afterwards')
  .option('--runners <n>', "k6 processes the load is split over (execution segments); default: the profile's")
  .option('--plan', 'print the runner sizing (runners, cores, memory) for the profile from the bench figures; send nothing')
  .option('--cluster', 'run through k6-operator: render a TestRun, apply it with kubectl, follow it, judge from the shared store')
  .option('--context <name>', 'kubectl context (with --cluster)')
  .option('--namespace <name>', 'namespace of the TestRun (with --cluster; default gomeet-capacity)')
  .option('--runner-image <image>', 'k6 runner image carrying the suite\'s k6, v2.2.0 with k6/x/gomeet (with --cluster)')
  .option('--dry-run', 'with --cluster: print every kubectl call and manifest (secrets redacted) instead of making it')
  .option('--baseline <dir|last-go>', 'compare with a run directory, or the last GO run of this profile and target; a regression turns GO into WARN')
  .option('--history <dir>', 'run history index (default runs/history)')
  .option('--confirm-production', 'allow a target file marked environment: production (load capped at smoke size)')
  .option('--lift-production-cap', 'with --confirm-production: send the full profile to production, not just smoke-sized load')
  .option('--web-dashboard', "also export k6's own web dashboard report (k6-dashboard.html) from each local runner")
  .action(async (opts) => {
    const { runCommand } = await import('./run.ts');
    process.exitCode = await runCommand(opts);
  });

program
  .command('search')
  .description('find the largest load every gated row holds (the knee), the row that broke it, and each row against load; writes search.json, search.md, search.html')
  .option('--dimension <name>', 'what to step: connections | api-rps | participants-per-room | rooms')
  .option('--start <n>', "first load (default: the dimension's)")
  .option('--step <n>', "resolution: the knee is reported within one step (default: the dimension's)")
  .option('--max <n>', "largest load tried (default: the dimension's)")
  .option('--target <file>', 'target YAML; without it the local reference stack is brought up once and used by every step')
  .option('--profile <name>', 'base profile every step starts from', 'smoke')
  .option('--out <dir>', 'output directory (default: runs/<search id>); each run in steps/<nn>-<load>/')
  .option('--step-up <how>', "'doubling' (1, 2, 4 … steps past the last pass; default) or 'linear'")
  .option('--max-runs <n>', 'runs the search may make, re-measures included (default 12)')
  .option('--budget-min <min>', 'wall-clock budget in minutes; no run starts that would end past it (default 30)')
  .option('--steady-sec <sec>', 'steady-state seconds of each run: sessions held, API at its rate (default 20)')
  .option('--rows <ids>', "comma-separated rows that decide each step (default: the dimension's, e.g. ws_connections,ws_connect_success_pct,api_p95_ms,api_error_rate_pct)")
  .option('--keep-stack', 'leave a local stack this search started running afterwards')
  .option('--verbose', "print each run's own output (k6 progress, its verdict table)")
  .option('--confirm-production', 'allow a target file marked environment: production (largest step capped at smoke size)')
  .option('--lift-production-cap', 'with --confirm-production: let the steps go beyond smoke-sized load')
  .action(async (opts) => {
    const { searchCommand } = await import('./search.ts');
    process.exitCode = await searchCommand(opts);
  });

const stack = program.command('stack').description('the local reference GoMeet stack (PostgreSQL, Redis, services, ...) on 127.0.0.1');
for (const action of ['up', 'down', 'status'] as const) {
  stack
    .command(action)
    .description(`${action} the local stack`)
    .option('--api-delay-ms <ms>', 'fault knob: the API answers this many ms late (up only)')
    .action(async (opts) => {
      const { stackCommand } = await import('./stack/command.ts');
      process.exitCode = await stackCommand(action, opts);
    });
}

program
  .command('setup')
  .description('install what is missing: Debian packages (as root), npm packages, pinned k6 and livekit-server')
  .option('--only <what>', 'only one part: apt | npm | tools')
  .action(async (opts) => {
    const { setupCommand } = await import('./setup.ts');
    process.exitCode = await setupCommand(opts);
  });

program
  .command('bundle')
  .description('bundle scenarios/*.ts with their npm imports into k6-runnable JS (dist/scenarios)')
  .action(async () => {
    const { bundleScenarios } = await import('./bundle.ts');
    const files = await bundleScenarios();
    for (const f of files) console.log(f);
  });

const report = program.command('report').description('read finished runs back: compare two runs, list the history');
report
  .command('compare <base> <new>')
  .description("compare two runs' steady state (run dirs; BASE may be 'last-go'); exit 1 on a regression")
  .option('--html <file>', "write NEW's report.html with the comparison to this file")
  .option('--json', 'print the comparison as JSON')
  .option('--history <dir>', "history index for 'last-go' (default runs/history)")
  .action(async (base: string, next: string, opts) => {
    const { reportCompareCommand } = await import('./report.ts');
    process.exitCode = await reportCompareCommand(base, next, opts);
  });
report
  .command('history')
  .description('list the runs in the history index')
  .option('--profile <name>', 'only this profile')
  .option('--target <name>', 'only this target')
  .option('--history <dir>', 'history index directory (default runs/history)')
  .action(async (opts) => {
    const { reportHistoryCommand } = await import('./report.ts');
    process.exitCode = await reportHistoryCommand(opts);
  });

program
  .command('smoke')
  .description('pre-flight checks alone: endpoints, credentials, capacity settings; exit 2 when one would block a run')
  .option('--target <file>', 'target YAML; without it the local reference stack is brought up and used')
  .option('--profile <name>', 'judge capacity for this profile, as `run --profile` would', 'smoke')
  .option('--json', 'print the checks as JSON')
  .option('--keep-stack', 'leave a local stack this command started running afterwards')
  .option('--conformance', "compare a cluster's objects with the seed's sizing (exit 1 on drift)")
  .option('--context <name>', 'kubectl context (with --conformance)')
  .option('--namespace <name>', 'namespace of the GoMeet stack (with --conformance; default gomeet)')
  .option('--snapshot <file>', 'a recorded `kubectl get … -o json` List instead of a live cluster (with --conformance)')
  .action(async (opts) => {
    const { smokeCommand } = await import('./smoke.ts');
    process.exitCode = await smokeCommand(opts);
  });

program
  .command('cluster <action>')
  .description('up|down|status|prepare: the GoMeet stack as the seed describes it (deploy/gomeet) plus InfluxDB and the k6-operator on a Kubernetes cluster')
  .option('--context <name>', 'kubectl context (required for up, down, status)')
  .option('--dry-run', 'print every kubectl call and manifest (secrets redacted) instead of making it; prepare: print the files')
  .option('--namespace <name>', "GoMeet's namespace (default gomeet; the load-test side goes to <name>-capacity)")
  .option('--image-tag <tag>', "tag of GoMeet's own service images (default v2.0.0)")
  .option('--domain <name>', 'public domain of the stack: api.<domain>, livekit.<domain> (default gomeet.com)')
  .option('--timeout-sec <sec>', 'seconds each rollout may take (up; default 600)')
  .option('--out <dir>', 'prepare: where target.yaml, load-test-config.json and PROFILE.md go (default runs/cluster-<namespace>)')
  .action(async (action: string, opts) => {
    const { clusterCommand } = await import('./cluster/command.ts');
    process.exitCode = await clusterCommand(action, opts);
  });

program
  .command('limits')
  .description("the gateway's rate limits probed by the rate-limits scenario: 429s exactly past the limit, none before, recovered after the period")
  .option('--gateway <url>', "gateway on 127.0.0.0/8 (default: the local stack's, GOMEET_STACK_PORT_OFFSET honoured)")
  .option('--api-limit <n>', 'API requests the gateway allows per period (default: the seed’s 1000)')
  .option('--ws-limit <n>', 'WebSocket upgrades the gateway allows per period (default: the seed’s 2000)')
  .option('--period-sec <s>', 'the limits’ period in seconds (default 60)')
  .option('--extra <n>', '429s the past-the-limit phase collects (default 50)')
  .option('--out <dir>', 'where the k6 summary and log go (default runs/limits-<time>)')
  .action(async (opts) => {
    const { limitsCommand } = await import('./limits.ts');
    process.exitCode = await limitsCommand(opts);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // commander already printed the message (or help); keep its code for help/version.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT.usage;
  } else if (err instanceof UsageError) {
    console.error(usageLine(err));
    process.exitCode = EXIT.usage;
  } else {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = EXIT.usage;
  }
}
