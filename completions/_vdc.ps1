
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'vdc' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'vdc'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'vdc' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Validate INPUT and write the Istio objects of every cluster (stdout, or a tree with --out)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate INPUT and report every problem; writes nothing')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show which objects in which clusters change from OLD to NEW (INPUT or rendered folders)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain, per VirtualDestination, what vdc resolved and generated, and why; with --object, why an object vdc writes exists')
            [CompletionResult]::new('trace', 'trace', [CompletionResultType]::ParameterValue, 'Where a workload''s requests to a host go, in what priority, and what a failure leaves serving')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Write INPUT''s cluster state from live clusters with kubectl: only the kinds and fields vdc reads, one kubectl-style JSON List per cluster')
            [CompletionResult]::new('rule', 'rule', [CompletionResultType]::ParameterValue, 'Print the page of a diagnostic code (what it catches, why, an example, the fix), or with no code the list of every code')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vdc;render' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write one file per object under DIR/<cluster>/<namespace>/ instead of to stdout')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only these clusters (repeatable)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the clusters of shard I of N (1 ≤ I ≤ N), a fixed assignment by cluster name: N runs, one per shard, write together what one run writes (see docs/ci.md)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The objects'' format: yaml (Kubernetes-safe YAML) or json')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The objects'' format: yaml (Kubernetes-safe YAML) or json')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Keep what each file of cluster state decodes to in DIR, so a later run parses only the files that changed (default: $XDG_CACHE_HOME/vdc, else ~/.cache/vdc; none when neither is set). Output is the same with or without it')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the cache')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'With --out: exit 1 when OUT changed (a file written or removed), as `git diff --exit-code` does, so a hook that re-renders refuses the commit until the new files are added')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'vdc;check' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'human: rustc-style with the source line; json: one record per diagnostic; sarif: for code scanning; github: workflow commands that annotate the files of a pull request')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'human: rustc-style with the source line; json: one record per diagnostic; sarif: for code scanning; github: workflow commands that annotate the files of a pull request')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 on diagnostics of this severity or worse: error (the default) or warning')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Do not report this warning or note: a code such as VDC413, or its name (repeatable)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only diagnostics about these clusters, and those about no cluster (repeatable); an error about another cluster is counted and fails the check (it stops render too)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Keep what each file of cluster state decodes to in DIR, so a later run parses only the files that changed (default: $XDG_CACHE_HOME/vdc, else ~/.cache/vdc; none when neither is set). Output is the same with or without it')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Treat warnings as errors for the exit status (the same as --fail-on warning)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the cache')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'vdc;diff' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'human: counts per cluster, then each changed object with its clusters, its Gloo object and its diff; json: one record per changed object; markdown: a pull-request comment (a summary per Gloo object and per cluster, a collapsed diff per change)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'human: counts per cluster, then each changed object with its clusters, its Gloo object and its diff; json: one record per changed object; markdown: a pull-request comment (a summary per Gloo object and per cluster, a collapsed diff per change)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only these clusters (repeatable)')
            [CompletionResult]::new('--max-chars', '--max-chars', [CompletionResultType]::ParameterName, 'markdown: cut the comment at about this many characters, with a note (GitHub allows 65,536 in a comment) [default: 60000]. Only with -o markdown')
            [CompletionResult]::new('--full-diff', '--full-diff', [CompletionResultType]::ParameterName, 'Also write the full diff, in the human form without colour, to FILE (for a CI artifact; the markdown comment''s cut note names it)')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'Lines of context around each change in the unified diffs (as `git diff -U`)')
            [CompletionResult]::new('--unified', '--unified', [CompletionResultType]::ParameterName, 'Lines of context around each change in the unified diffs (as `git diff -U`)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Deprecated spelling of --unified: `--context` names a kubeconfig context elsewhere (`vdc snapshot`)')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Trace from FROM (CLUSTER/NAMESPACE[/WORKLOAD]) to TO (HOST[:PORT]) on both sides, which must be INPUT folders, and show how the traffic moves instead of the objects (repeatable; --path, --header, --labels, --locality and --fail apply to every trace)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The request path (and query string) that routes match on (default: /)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, NAME=VALUE or ''NAME: VALUE'' (repeatable)')
            [CompletionResult]::new('--labels', '--labels', [CompletionResultType]::ParameterName, 'The client''s labels, instead of the workload''s: KEY=VALUE[,KEY=VALUE…]')
            [CompletionResult]::new('--locality', '--locality', [CompletionResultType]::ParameterName, 'The client''s locality, instead of its node''s or its cluster''s')
            [CompletionResult]::new('--fail', '--fail', [CompletionResultType]::ParameterName, 'Take endpoints down, as outlier detection ejects them: cluster:NAME, region:REGION, zone:REGION/ZONE, address:IP or address:NAMESPACE/POD (repeatable)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never')
            [CompletionResult]::new('--stat', '--stat', [CompletionResultType]::ParameterName, 'Print only the per-cluster counts, not the diffs (JSON: records without `diff`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'vdc;explain' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'human: one block per VirtualDestination; json: an array of records')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'human: one block per VirtualDestination; json: an array of records')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only the VirtualDestinations that take part in these clusters, and of each only what lands in them (repeatable)')
            [CompletionResult]::new('--object', '--object', [CompletionResultType]::ParameterName, 'Explain an object vdc writes instead: why it exists, the Gloo object it comes from and why it is in its cluster. REF is CLUSTER/KIND/NAMESPACE/NAME or the path `render` writes it to (repeatable; not with VD names or --cluster)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'vdc;trace' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The client: CLUSTER/NAMESPACE, or CLUSTER/NAMESPACE/WORKLOAD for a Deployment, Pod, … of the dump (its labels and its node''s locality)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The host the client calls, with the port when its service has several')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'human: the route, the priorities and the outcome; json: one record (a stable contract)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'human: the route, the priorities and the outcome; json: one record (a stable contract)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Keep what each file of cluster state decodes to in DIR, so a later run parses only the files that changed (default: $XDG_CACHE_HOME/vdc, else ~/.cache/vdc; none when neither is set). Output is the same with or without it')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The request path (and query string) that routes match on (default: /)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, NAME=VALUE or ''NAME: VALUE'' (repeatable)')
            [CompletionResult]::new('--labels', '--labels', [CompletionResultType]::ParameterName, 'The client''s labels, instead of the workload''s: KEY=VALUE[,KEY=VALUE…]')
            [CompletionResult]::new('--locality', '--locality', [CompletionResultType]::ParameterName, 'The client''s locality, instead of its node''s or its cluster''s')
            [CompletionResult]::new('--fail', '--fail', [CompletionResultType]::ParameterName, 'Take endpoints down, as outlier detection ejects them: cluster:NAME, region:REGION, zone:REGION/ZONE, address:IP or address:NAMESPACE/POD (repeatable)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the cache')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'vdc;snapshot' {
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'A kubeconfig context to read (repeatable)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'The cluster name of each --context, in order (default: the context''s name)')
            [CompletionResult]::new('--gloo-context', '--gloo-context', [CompletionResultType]::ParameterName, 'A management context for --gloo that is no workload cluster: its Gloo config goes to INPUT/gloo/config.json. One also given as --context is read once, as that cluster')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long one kubectl call may take, in seconds, before vdc stops it and fails (nothing is written then)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never')
            [CompletionResult]::new('--gloo', '--gloo', [CompletionResultType]::ParameterName, 'Also export the Gloo config of every context: each cluster''s to INPUT/clusters/<name>/gloo/config.json, --gloo-context''s to INPUT/gloo/config.json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'vdc;rule' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'vdc;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only problems: no summary line, no progress line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'vdc;help' {
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Validate INPUT and write the Istio objects of every cluster (stdout, or a tree with --out)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate INPUT and report every problem; writes nothing')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show which objects in which clusters change from OLD to NEW (INPUT or rendered folders)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain, per VirtualDestination, what vdc resolved and generated, and why; with --object, why an object vdc writes exists')
            [CompletionResult]::new('trace', 'trace', [CompletionResultType]::ParameterValue, 'Where a workload''s requests to a host go, in what priority, and what a failure leaves serving')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Write INPUT''s cluster state from live clusters with kubectl: only the kinds and fields vdc reads, one kubectl-style JSON List per cluster')
            [CompletionResult]::new('rule', 'rule', [CompletionResultType]::ParameterValue, 'Print the page of a diagnostic code (what it catches, why, an example, the fix), or with no code the list of every code')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vdc;help;render' {
            break
        }
        'vdc;help;check' {
            break
        }
        'vdc;help;diff' {
            break
        }
        'vdc;help;explain' {
            break
        }
        'vdc;help;trace' {
            break
        }
        'vdc;help;snapshot' {
            break
        }
        'vdc;help;rule' {
            break
        }
        'vdc;help;completions' {
            break
        }
        'vdc;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
