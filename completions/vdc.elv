
use builtin;
use str;

set edit:completion:arg-completer[vdc] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'vdc'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'vdc'= {
            cand --color 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never'
            cand -q 'Print only problems: no summary line, no progress line'
            cand --quiet 'Print only problems: no summary line, no progress line'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand render 'Validate INPUT and write the Istio objects of every cluster (stdout, or a tree with --out)'
            cand check 'Validate INPUT and report every problem; writes nothing'
            cand diff 'Show which objects in which clusters change from OLD to NEW (INPUT or rendered folders)'
            cand explain 'Explain, per VirtualDestination, what vdc resolved and generated, and why; with --object, why an object vdc writes exists'
            cand trace 'Where a workload''s requests to a host go, in what priority, and what a failure leaves serving'
            cand snapshot 'Write INPUT''s cluster state from live clusters with kubectl: only the kinds and fields vdc reads, one kubectl-style JSON List per cluster'
            cand rule 'Print the page of a diagnostic code (what it catches, why, an example, the fix), or with no code the list of every code'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vdc;render'= {
            cand --out 'Write one file per object under DIR/<cluster>/<namespace>/ instead of to stdout'
            cand --cluster 'Only these clusters (repeatable)'
            cand --shard 'Only the clusters of shard I of N (1 ≤ I ≤ N), a fixed assignment by cluster name: N runs, one per shard, write together what one run writes (see docs/ci.md)'
            cand -o 'The objects'' format: yaml (Kubernetes-safe YAML) or json'
            cand --format 'The objects'' format: yaml (Kubernetes-safe YAML) or json'
            cand --cache 'Keep what each file of cluster state decodes to in DIR, so a later run parses only the files that changed (default: $XDG_CACHE_HOME/vdc, else ~/.cache/vdc; none when neither is set). Output is the same with or without it'
            cand --color 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never'
            cand --no-cache 'Neither read nor write the cache'
            cand --exit-code 'With --out: exit 1 when OUT changed (a file written or removed), as `git diff --exit-code` does, so a hook that re-renders refuses the commit until the new files are added'
            cand -q 'Print only problems: no summary line, no progress line'
            cand --quiet 'Print only problems: no summary line, no progress line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vdc;check'= {
            cand -o 'human: rustc-style with the source line; json: one record per diagnostic; sarif: for code scanning; github: workflow commands that annotate the files of a pull request'
            cand --format 'human: rustc-style with the source line; json: one record per diagnostic; sarif: for code scanning; github: workflow commands that annotate the files of a pull request'
            cand --fail-on 'Exit 1 on diagnostics of this severity or worse: error (the default) or warning'
            cand --ignore 'Do not report this warning or note: a code such as VDC413, or its name (repeatable)'
            cand --cluster 'Only diagnostics about these clusters, and those about no cluster (repeatable); an error about another cluster is counted and fails the check (it stops render too)'
            cand --cache 'Keep what each file of cluster state decodes to in DIR, so a later run parses only the files that changed (default: $XDG_CACHE_HOME/vdc, else ~/.cache/vdc; none when neither is set). Output is the same with or without it'
            cand --color 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never'
            cand --deny-warnings 'Treat warnings as errors for the exit status (the same as --fail-on warning)'
            cand --no-cache 'Neither read nor write the cache'
            cand -q 'Print only problems: no summary line, no progress line'
            cand --quiet 'Print only problems: no summary line, no progress line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'vdc;diff'= {
            cand -o 'human: counts per cluster, then each changed object with its clusters, its Gloo object and its diff; json: one record per changed object; markdown: a pull-request comment (a summary per Gloo object and per cluster, a collapsed diff per change)'
            cand --format 'human: counts per cluster, then each changed object with its clusters, its Gloo object and its diff; json: one record per changed object; markdown: a pull-request comment (a summary per Gloo object and per cluster, a collapsed diff per change)'
            cand --cluster 'Only these clusters (repeatable)'
            cand --max-chars 'markdown: cut the comment at about this many characters, with a note (GitHub allows 65,536 in a comment) [default: 60000]. Only with -o markdown'
            cand --full-diff 'Also write the full diff, in the human form without colour, to FILE (for a CI artifact; the markdown comment''s cut note names it)'
            cand -U 'Lines of context around each change in the unified diffs (as `git diff -U`)'
            cand --unified 'Lines of context around each change in the unified diffs (as `git diff -U`)'
            cand --context 'Deprecated spelling of --unified: `--context` names a kubeconfig context elsewhere (`vdc snapshot`)'
            cand --trace 'Trace from FROM (CLUSTER/NAMESPACE[/WORKLOAD]) to TO (HOST[:PORT]) on both sides, which must be INPUT folders, and show how the traffic moves instead of the objects (repeatable; --path, --header, --labels, --locality and --fail apply to every trace)'
            cand --path 'The request path (and query string) that routes match on (default: /)'
            cand --header 'A request header, NAME=VALUE or ''NAME: VALUE'' (repeatable)'
            cand --labels 'The client''s labels, instead of the workload''s: KEY=VALUE[,KEY=VALUE…]'
            cand --locality 'The client''s locality, instead of its node''s or its cluster''s'
            cand --fail 'Take endpoints down, as outlier detection ejects them: cluster:NAME, region:REGION, zone:REGION/ZONE, address:IP or address:NAMESPACE/POD (repeatable)'
            cand --color 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never'
            cand --stat 'Print only the per-cluster counts, not the diffs (JSON: records without `diff`)'
            cand -q 'Print only problems: no summary line, no progress line'
            cand --quiet 'Print only problems: no summary line, no progress line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vdc;explain'= {
            cand -o 'human: one block per VirtualDestination; json: an array of records'
            cand --format 'human: one block per VirtualDestination; json: an array of records'
            cand --cluster 'Only the VirtualDestinations that take part in these clusters, and of each only what lands in them (repeatable)'
            cand --object 'Explain an object vdc writes instead: why it exists, the Gloo object it comes from and why it is in its cluster. REF is CLUSTER/KIND/NAMESPACE/NAME or the path `render` writes it to (repeatable; not with VD names or --cluster)'
            cand --color 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never'
            cand -q 'Print only problems: no summary line, no progress line'
            cand --quiet 'Print only problems: no summary line, no progress line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vdc;trace'= {
            cand --from 'The client: CLUSTER/NAMESPACE, or CLUSTER/NAMESPACE/WORKLOAD for a Deployment, Pod, … of the dump (its labels and its node''s locality)'
            cand --to 'The host the client calls, with the port when its service has several'
            cand -o 'human: the route, the priorities and the outcome; json: one record (a stable contract)'
            cand --format 'human: the route, the priorities and the outcome; json: one record (a stable contract)'
            cand --cache 'Keep what each file of cluster state decodes to in DIR, so a later run parses only the files that changed (default: $XDG_CACHE_HOME/vdc, else ~/.cache/vdc; none when neither is set). Output is the same with or without it'
            cand --path 'The request path (and query string) that routes match on (default: /)'
            cand --header 'A request header, NAME=VALUE or ''NAME: VALUE'' (repeatable)'
            cand --labels 'The client''s labels, instead of the workload''s: KEY=VALUE[,KEY=VALUE…]'
            cand --locality 'The client''s locality, instead of its node''s or its cluster''s'
            cand --fail 'Take endpoints down, as outlier detection ejects them: cluster:NAME, region:REGION, zone:REGION/ZONE, address:IP or address:NAMESPACE/POD (repeatable)'
            cand --color 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never'
            cand --no-cache 'Neither read nor write the cache'
            cand -q 'Print only problems: no summary line, no progress line'
            cand --quiet 'Print only problems: no summary line, no progress line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vdc;snapshot'= {
            cand --context 'A kubeconfig context to read (repeatable)'
            cand --as 'The cluster name of each --context, in order (default: the context''s name)'
            cand --gloo-context 'A management context for --gloo that is no workload cluster: its Gloo config goes to INPUT/gloo/config.json. One also given as --context is read once, as that cluster'
            cand --timeout 'How long one kubectl call may take, in seconds, before vdc stops it and fails (nothing is written then)'
            cand --color 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never'
            cand --gloo 'Also export the Gloo config of every context: each cluster''s to INPUT/clusters/<name>/gloo/config.json, --gloo-context''s to INPUT/gloo/config.json'
            cand -q 'Print only problems: no summary line, no progress line'
            cand --quiet 'Print only problems: no summary line, no progress line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vdc;rule'= {
            cand --color 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never'
            cand -q 'Print only problems: no summary line, no progress line'
            cand --quiet 'Print only problems: no summary line, no progress line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vdc;completions'= {
            cand --color 'When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured), always, never'
            cand -q 'Print only problems: no summary line, no progress line'
            cand --quiet 'Print only problems: no summary line, no progress line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vdc;help'= {
            cand render 'Validate INPUT and write the Istio objects of every cluster (stdout, or a tree with --out)'
            cand check 'Validate INPUT and report every problem; writes nothing'
            cand diff 'Show which objects in which clusters change from OLD to NEW (INPUT or rendered folders)'
            cand explain 'Explain, per VirtualDestination, what vdc resolved and generated, and why; with --object, why an object vdc writes exists'
            cand trace 'Where a workload''s requests to a host go, in what priority, and what a failure leaves serving'
            cand snapshot 'Write INPUT''s cluster state from live clusters with kubectl: only the kinds and fields vdc reads, one kubectl-style JSON List per cluster'
            cand rule 'Print the page of a diagnostic code (what it catches, why, an example, the fix), or with no code the list of every code'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vdc;help;render'= {
        }
        &'vdc;help;check'= {
        }
        &'vdc;help;diff'= {
        }
        &'vdc;help;explain'= {
        }
        &'vdc;help;trace'= {
        }
        &'vdc;help;snapshot'= {
        }
        &'vdc;help;rule'= {
        }
        &'vdc;help;completions'= {
        }
        &'vdc;help;help'= {
        }
    ]
    $completions[$command]
}
