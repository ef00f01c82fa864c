# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_vdc_global_optspecs
    string join \n color= q/quiet h/help V/version
end

function __fish_vdc_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_vdc_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_vdc_using_subcommand
    set -l cmd (__fish_vdc_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c vdc -n "__fish_vdc_needs_command" -l color -d 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c vdc -n "__fish_vdc_needs_command" -s q -l quiet -d 'Print only problems: no summary line, no progress line'
complete -c vdc -n "__fish_vdc_needs_command" -s h -l help -d 'Print help'
complete -c vdc -n "__fish_vdc_needs_command" -s V -l version -d 'Print version'
complete -c vdc -n "__fish_vdc_needs_command" -f -a "render" -d 'Validate INPUT and write the Istio objects of every cluster (stdout, or a tree with --out)'
complete -c vdc -n "__fish_vdc_needs_command" -f -a "check" -d 'Validate INPUT and report every problem; writes nothing'
complete -c vdc -n "__fish_vdc_needs_command" -f -a "diff" -d 'Show which objects in which clusters change from OLD to NEW (INPUT or rendered folders)'
complete -c vdc -n "__fish_vdc_needs_command" -f -a "explain" -d 'Explain, per VirtualDestination, what vdc resolved and generated, and why; with --object, why an object vdc writes exists'
complete -c vdc -n "__fish_vdc_needs_command" -f -a "trace" -d 'Where a workload\'s requests to a host go, in what priority, and what a failure leaves serving'
complete -c vdc -n "__fish_vdc_needs_command" -f -a "snapshot" -d 'Write INPUT\'s cluster state from live clusters with kubectl: only the kinds and fields vdc reads, one kubectl-style JSON List per cluster'
complete -c vdc -n "__fish_vdc_needs_command" -f -a "rule" -d 'Print the page of a diagnostic code (what it catches, why, an example, the fix), or with no code the list of every code'
complete -c vdc -n "__fish_vdc_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c vdc -n "__fish_vdc_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vdc -n "__fish_vdc_using_subcommand render" -l out -d 'Write one file per object under DIR/<cluster>/<namespace>/ instead of to stdout' -r -F
complete -c vdc -n "__fish_vdc_using_subcommand render" -l cluster -d 'Only these clusters (repeatable)' -r
complete -c vdc -n "__fish_vdc_using_subcommand render" -l shard -d 'Only the clusters of shard I of N (1 ≤ I ≤ N), a fixed assignment by cluster name: N runs, one per shard, write together what one run writes (see docs/ci.md)' -r
complete -c vdc -n "__fish_vdc_using_subcommand render" -s o -l format -d 'The objects\' format: yaml (Kubernetes-safe YAML) or json' -r -f -a "yaml\t''
json\t''"
complete -c vdc -n "__fish_vdc_using_subcommand render" -l cache -d 'Keep what each file of cluster state decodes to in DIR, so a later run parses only the files that changed (default: $XDG_CACHE_HOME/vdc, else ~/.cache/vdc; none when neither is set). Output is the same with or without it' -r -F
complete -c vdc -n "__fish_vdc_using_subcommand render" -l color -d 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c vdc -n "__fish_vdc_using_subcommand render" -l no-cache -d 'Neither read nor write the cache'
complete -c vdc -n "__fish_vdc_using_subcommand render" -l exit-code -d 'With --out: exit 1 when OUT changed (a file written or removed), as `git diff --exit-code` does, so a hook that re-renders refuses the commit until the new files are added'
complete -c vdc -n "__fish_vdc_using_subcommand render" -s q -l quiet -d 'Print only problems: no summary line, no progress line'
complete -c vdc -n "__fish_vdc_using_subcommand render" -s h -l help -d 'Print help'
complete -c vdc -n "__fish_vdc_using_subcommand check" -s o -l format -d 'human: rustc-style with the source line; json: one record per diagnostic; sarif: for code scanning; github: workflow commands that annotate the files of a pull request' -r -f -a "human\t''
json\t''
sarif\t'SARIF 2.1.0, for GitHub code scanning'
github\t'GitHub Actions workflow commands (`::error file=…,line=…::`): annotations without code scanning'"
complete -c vdc -n "__fish_vdc_using_subcommand check" -l fail-on -d 'Exit 1 on diagnostics of this severity or worse: error (the default) or warning' -r -f -a "error\t''
warning\t''"
complete -c vdc -n "__fish_vdc_using_subcommand check" -l ignore -d 'Do not report this warning or note: a code such as VDC413, or its name (repeatable)' -r
complete -c vdc -n "__fish_vdc_using_subcommand check" -l cluster -d 'Only diagnostics about these clusters, and those about no cluster (repeatable); an error about another cluster is counted and fails the check (it stops render too)' -r
complete -c vdc -n "__fish_vdc_using_subcommand check" -l cache -d 'Keep what each file of cluster state decodes to in DIR, so a later run parses only the files that changed (default: $XDG_CACHE_HOME/vdc, else ~/.cache/vdc; none when neither is set). Output is the same with or without it' -r -F
complete -c vdc -n "__fish_vdc_using_subcommand check" -l color -d 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c vdc -n "__fish_vdc_using_subcommand check" -l deny-warnings -d 'Treat warnings as errors for the exit status (the same as --fail-on warning)'
complete -c vdc -n "__fish_vdc_using_subcommand check" -l no-cache -d 'Neither read nor write the cache'
complete -c vdc -n "__fish_vdc_using_subcommand check" -s q -l quiet -d 'Print only problems: no summary line, no progress line'
complete -c vdc -n "__fish_vdc_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vdc -n "__fish_vdc_using_subcommand diff" -s o -l format -d 'human: counts per cluster, then each changed object with its clusters, its Gloo object and its diff; json: one record per changed object; markdown: a pull-request comment (a summary per Gloo object and per cluster, a collapsed diff per change)' -r -f -a "human\t''
json\t''
markdown\t''"
complete -c vdc -n "__fish_vdc_using_subcommand diff" -l cluster -d 'Only these clusters (repeatable)' -r
complete -c vdc -n "__fish_vdc_using_subcommand diff" -l max-chars -d 'markdown: cut the comment at about this many characters, with a note (GitHub allows 65,536 in a comment) [default: 60000]. Only with -o markdown' -r
complete -c vdc -n "__fish_vdc_using_subcommand diff" -l full-diff -d 'Also write the full diff, in the human form without colour, to FILE (for a CI artifact; the markdown comment\'s cut note names it)' -r -F
complete -c vdc -n "__fish_vdc_using_subcommand diff" -s U -l unified -d 'Lines of context around each change in the unified diffs (as `git diff -U`)' -r
complete -c vdc -n "__fish_vdc_using_subcommand diff" -l context -d 'Deprecated spelling of --unified: `--context` names a kubeconfig context elsewhere (`vdc snapshot`)' -r
complete -c vdc -n "__fish_vdc_using_subcommand diff" -l trace -d 'Trace from FROM (CLUSTER/NAMESPACE[/WORKLOAD]) to TO (HOST[:PORT]) on both sides, which must be INPUT folders, and show how the traffic moves instead of the objects (repeatable; --path, --header, --labels, --locality and --fail apply to every trace)' -r
complete -c vdc -n "__fish_vdc_using_subcommand diff" -l path -d 'The request path (and query string) that routes match on (default: /)' -r
complete -c vdc -n "__fish_vdc_using_subcommand diff" -l header -d 'A request header, NAME=VALUE or \'NAME: VALUE\' (repeatable)' -r
complete -c vdc -n "__fish_vdc_using_subcommand diff" -l labels -d 'The client\'s labels, instead of the workload\'s: KEY=VALUE[,KEY=VALUE…]' -r
complete -c vdc -n "__fish_vdc_using_subcommand diff" -l locality -d 'The client\'s locality, instead of its node\'s or its cluster\'s' -r
complete -c vdc -n "__fish_vdc_using_subcommand diff" -l fail -d 'Take endpoints down, as outlier detection ejects them: cluster:NAME, region:REGION, zone:REGION/ZONE, address:IP or address:NAMESPACE/POD (repeatable)' -r
complete -c vdc -n "__fish_vdc_using_subcommand diff" -l color -d 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c vdc -n "__fish_vdc_using_subcommand diff" -l stat -d 'Print only the per-cluster counts, not the diffs (JSON: records without `diff`)'
complete -c vdc -n "__fish_vdc_using_subcommand diff" -s q -l quiet -d 'Print only problems: no summary line, no progress line'
complete -c vdc -n "__fish_vdc_using_subcommand diff" -s h -l help -d 'Print help'
complete -c vdc -n "__fish_vdc_using_subcommand explain" -s o -l format -d 'human: one block per VirtualDestination; json: an array of records' -r -f -a "human\t''
json\t''"
complete -c vdc -n "__fish_vdc_using_subcommand explain" -l cluster -d 'Only the VirtualDestinations that take part in these clusters, and of each only what lands in them (repeatable)' -r
complete -c vdc -n "__fish_vdc_using_subcommand explain" -l object -d 'Explain an object vdc writes instead: why it exists, the Gloo object it comes from and why it is in its cluster. REF is CLUSTER/KIND/NAMESPACE/NAME or the path `render` writes it to (repeatable; not with VD names or --cluster)' -r
complete -c vdc -n "__fish_vdc_using_subcommand explain" -l color -d 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c vdc -n "__fish_vdc_using_subcommand explain" -s q -l quiet -d 'Print only problems: no summary line, no progress line'
complete -c vdc -n "__fish_vdc_using_subcommand explain" -s h -l help -d 'Print help'
complete -c vdc -n "__fish_vdc_using_subcommand trace" -l from -d 'The client: CLUSTER/NAMESPACE, or CLUSTER/NAMESPACE/WORKLOAD for a Deployment, Pod, … of the dump (its labels and its node\'s locality)' -r
complete -c vdc -n "__fish_vdc_using_subcommand trace" -l to -d 'The host the client calls, with the port when its service has several' -r
complete -c vdc -n "__fish_vdc_using_subcommand trace" -s o -l format -d 'human: the route, the priorities and the outcome; json: one record (a stable contract)' -r -f -a "human\t''
json\t''"
complete -c vdc -n "__fish_vdc_using_subcommand trace" -l cache -d 'Keep what each file of cluster state decodes to in DIR, so a later run parses only the files that changed (default: $XDG_CACHE_HOME/vdc, else ~/.cache/vdc; none when neither is set). Output is the same with or without it' -r -F
complete -c vdc -n "__fish_vdc_using_subcommand trace" -l path -d 'The request path (and query string) that routes match on (default: /)' -r
complete -c vdc -n "__fish_vdc_using_subcommand trace" -l header -d 'A request header, NAME=VALUE or \'NAME: VALUE\' (repeatable)' -r
complete -c vdc -n "__fish_vdc_using_subcommand trace" -l labels -d 'The client\'s labels, instead of the workload\'s: KEY=VALUE[,KEY=VALUE…]' -r
complete -c vdc -n "__fish_vdc_using_subcommand trace" -l locality -d 'The client\'s locality, instead of its node\'s or its cluster\'s' -r
complete -c vdc -n "__fish_vdc_using_subcommand trace" -l fail -d 'Take endpoints down, as outlier detection ejects them: cluster:NAME, region:REGION, zone:REGION/ZONE, address:IP or address:NAMESPACE/POD (repeatable)' -r
complete -c vdc -n "__fish_vdc_using_subcommand trace" -l color -d 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c vdc -n "__fish_vdc_using_subcommand trace" -l no-cache -d 'Neither read nor write the cache'
complete -c vdc -n "__fish_vdc_using_subcommand trace" -s q -l quiet -d 'Print only problems: no summary line, no progress line'
complete -c vdc -n "__fish_vdc_using_subcommand trace" -s h -l help -d 'Print help'
complete -c vdc -n "__fish_vdc_using_subcommand snapshot" -l context -d 'A kubeconfig context to read (repeatable)' -r
complete -c vdc -n "__fish_vdc_using_subcommand snapshot" -l as -d 'The cluster name of each --context, in order (default: the context\'s name)' -r
complete -c vdc -n "__fish_vdc_using_subcommand snapshot" -l gloo-context -d 'A management context for --gloo that is no workload cluster: its Gloo config goes to INPUT/gloo/config.json. One also given as --context is read once, as that cluster' -r
complete -c vdc -n "__fish_vdc_using_subcommand snapshot" -l timeout -d 'How long one kubectl call may take, in seconds, before vdc stops it and fails (nothing is written then)' -r
complete -c vdc -n "__fish_vdc_using_subcommand snapshot" -l color -d 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c vdc -n "__fish_vdc_using_subcommand snapshot" -l gloo -d 'Also export the Gloo config of every context: each cluster\'s to INPUT/clusters/<name>/gloo/config.json, --gloo-context\'s to INPUT/gloo/config.json'
complete -c vdc -n "__fish_vdc_using_subcommand snapshot" -s q -l quiet -d 'Print only problems: no summary line, no progress line'
complete -c vdc -n "__fish_vdc_using_subcommand snapshot" -s h -l help -d 'Print help'
complete -c vdc -n "__fish_vdc_using_subcommand rule" -l color -d 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c vdc -n "__fish_vdc_using_subcommand rule" -s q -l quiet -d 'Print only problems: no summary line, no progress line'
complete -c vdc -n "__fish_vdc_using_subcommand rule" -s h -l help -d 'Print help'
complete -c vdc -n "__fish_vdc_using_subcommand completions" -l color -d 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c vdc -n "__fish_vdc_using_subcommand completions" -s q -l quiet -d 'Print only problems: no summary line, no progress line'
complete -c vdc -n "__fish_vdc_using_subcommand completions" -s h -l help -d 'Print help'
complete -c vdc -n "__fish_vdc_using_subcommand help; and not __fish_seen_subcommand_from render check diff explain trace snapshot rule completions help" -f -a "render" -d 'Validate INPUT and write the Istio objects of every cluster (stdout, or a tree with --out)'
complete -c vdc -n "__fish_vdc_using_subcommand help; and not __fish_seen_subcommand_from render check diff explain trace snapshot rule completions help" -f -a "check" -d 'Validate INPUT and report every problem; writes nothing'
complete -c vdc -n "__fish_vdc_using_subcommand help; and not __fish_seen_subcommand_from render check diff explain trace snapshot rule completions help" -f -a "diff" -d 'Show which objects in which clusters change from OLD to NEW (INPUT or rendered folders)'
complete -c vdc -n "__fish_vdc_using_subcommand help; and not __fish_seen_subcommand_from render check diff explain trace snapshot rule completions help" -f -a "explain" -d 'Explain, per VirtualDestination, what vdc resolved and generated, and why; with --object, why an object vdc writes exists'
complete -c vdc -n "__fish_vdc_using_subcommand help; and not __fish_seen_subcommand_from render check diff explain trace snapshot rule completions help" -f -a "trace" -d 'Where a workload\'s requests to a host go, in what priority, and what a failure leaves serving'
complete -c vdc -n "__fish_vdc_using_subcommand help; and not __fish_seen_subcommand_from render check diff explain trace snapshot rule completions help" -f -a "snapshot" -d 'Write INPUT\'s cluster state from live clusters with kubectl: only the kinds and fields vdc reads, one kubectl-style JSON List per cluster'
complete -c vdc -n "__fish_vdc_using_subcommand help; and not __fish_seen_subcommand_from render check diff explain trace snapshot rule completions help" -f -a "rule" -d 'Print the page of a diagnostic code (what it catches, why, an example, the fix), or with no code the list of every code'
complete -c vdc -n "__fish_vdc_using_subcommand help; and not __fish_seen_subcommand_from render check diff explain trace snapshot rule completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c vdc -n "__fish_vdc_using_subcommand help; and not __fish_seen_subcommand_from render check diff explain trace snapshot rule completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
