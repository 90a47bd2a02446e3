/** `vitest-stress run --help`. */
export const RUN_HELP = `Usage: vitest-stress run [options]

Runs the stress test directly, without Vitest, under the isolation guard: a seeded workload through the
reference MessageQueueProcessor (or your --target) with the mock messaging core, delivery invariants and
HDR latency metrics. Writes logs/stress_test_metrics_<YYYYMMDD_HHMMSS>.json and a Markdown summary next to it.
Exit 0 when everything passed, 1 on a failed threshold, invariant or isolation check, 2 on bad input.

Workload
  --agents N                 agents Agent-1..Agent-N                                   (default 9)
  --messages-per-agent N     deliveries each agent receives (a broadcast counts for all) (default 100)
  --duration S               instead of --messages-per-agent: rate x S deliveries per agent
  --rate R                   deliveries per agent per second of the run's clock          (default 25)
  --mix MIX                  share of each agent's deliveries by type, e.g.
                             system_to_agent=0.5,broadcast=0.25,onboarding=0.25 (the default), or a
                             list sharing equally: direct,broadcast,hard_onboard,soft_onboard
Faults and time
  --chaos [PRESET|FILE]      none | original (the default when the flag has no value) | harsh,
                             or a chaos schedule JSON file                               (default none)
  --seed N                   the run's seed: same seed and flags, same report            (default 1)
  --clock virtual|real       simulated time (no waiting) or the wall clock (default virtual; real for a target that needs it)
Verdicts
  --threshold EXPR           repeatable: <metric><op><number>, e.g. success_rate>=0.99,
                             latency_stats.p95_ms<50, invariants.lost==0
  --profile P                at-least-once (duplicates allowed) | exactly-once           (default at-least-once)
System under test
  --target MODULE            a module exporting createTarget (or a default export): a StressTargetFactory;
                             .ts modules load through tsx                    (default: reference processor)
  --target-options JSON      options handed to the target as context.options
  --store memory|file        the reference target's queue store                         (default memory)
Modes and output
  --compare                  comparison mode: the same run against the mock core and the real
                             InboxMessagingCore in a fresh temporary workspace (deleted afterwards)
  --out DIR                  where the metrics files go                                 (default logs)
  --json                     print the metrics JSON on stdout instead of the summary table
  -h, --help                 this help

Examples
  vitest-stress run                                   # the seed's standard run: 9 agents x 100 messages
  vitest-stress run --chaos --seed 42                 # chaos mode (the original's fault model)
  vitest-stress run --messages-per-agent 1000         # high load: 9 x 1000
  vitest-stress run --chaos harsh --threshold 'invariants.lost==0' --threshold 'success_rate>=0.9'
  vitest-stress run --target ./test/stress/my-target.ts --target-options '{"workers":4}'
  vitest-stress run --compare --agents 3 --messages-per-agent 50
`;
