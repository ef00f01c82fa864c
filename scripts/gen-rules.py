#!/usr/bin/env python3
"""Writes the skeleton of src/rules/<family>/<slug>.rs for every row of the codes! registry in
src/diagnostic.rs that has no rule file yet, its doc taken from the code's section of
docs/diagnostics.md, and rewrites the family mod.rs files. Never overwrites a rule file's code.

docs/diagnostics.md is the one source of each rule page: a rule file's leading `//!` doc is
generated from it. `--sync` rewrites that doc in every rule file; `--check` only says which
files differ (exit 1), and tests/rules_registry.rs runs it.
Usage: scripts/gen-rules.py [--check | --sync] [REPO]"""
import collections
import os
import re
import sys

flags = [a for a in sys.argv[1:] if a.startswith('--')]
args = [a for a in sys.argv[1:] if not a.startswith('--')]
repo = args[0] if args else '.'
reg = open(f'{repo}/src/diagnostic.rs').read()
ROW = r'^\s+(\w+) = "(VDC\d\d\d)", (\w+)::(\w+), "([a-z0-9-]+)", (\w+), "((?:[^"\\]|\\.)*)";'
codes = re.findall(ROW, reg, re.M)
doc = open(f'{repo}/docs/diagnostics.md').read()


def section(code, slug):
    head = f'\n## {code} {slug}\n'
    i = doc.find(head)
    if i < 0:
        return {}
    body = doc[i + len(head):]
    body = body[:body.find('\n## VDC')] if '\n## VDC' in body else body
    body = re.sub(r'\n<a id="[^"]*"></a>\s*$', '', body.strip())
    parts = {}
    for m in re.finditer(r'^### ([^\n]+)\n(.*?)(?=^### |\Z)', body, re.M | re.S):
        parts[m.group(1).strip()] = m.group(2).strip()
    return parts


def first_block(text):
    m = re.search(r'^.*?```[a-z]*\n.*?\n```', text, re.S)  # the lead-in and the first block
    return m.group(0) if m else text.split('\n\n')[0]


def comment(text):
    # rustdoc would compile an untagged block as a Rust doctest: name its language.
    lines, inside = [], False
    for line in text.split('\n'):
        if line.startswith('```'):
            if not inside and line == '```':
                line = '```text'
            inside = not inside
        lines.append(line)
    text = '\n'.join(lines)
    return '\n'.join(('//! ' + line).rstrip() for line in text.split('\n'))


def page(variant, code, slug, sev, summary):
    """The rule file's doc, from the code's registry row and docs/diagnostics.md section."""
    p = section(code, slug)
    return f"""//! **{code} {slug}** ({sev.lower()}): {summary}
//!
//! ## What it does
//!
{comment(p.get('What it catches', summary))}
//!
//! ## Why is this bad?
//!
{comment(p.get('Why it matters', ''))}
//!
//! ## Example
//!
{comment(first_block(p.get('Example', '')))}
//!
//! ## Fix
//!
{comment(p.get('Fix', ''))}
//!
//! Fixture: `testdata/check/{slug}/`. Long form: `docs/diagnostics.md#{code.lower()}`.
"""


def split_doc(text):
    """A rule file as (its leading `//!` doc, the rest)."""
    lines = text.split('\n')
    n = 0
    while n < len(lines) and lines[n].startswith('//!'):
        n += 1
    return '\n'.join(lines[:n]) + '\n', '\n'.join(lines[n:])


families = collections.defaultdict(list)
differ = []
for variant, code, family, module, slug, sev, summary in codes:
    families[family].append(module)
    path = f'{repo}/src/rules/{family}/{module}.rs'
    doc_text = page(variant, code, slug, sev, summary)
    if os.path.exists(path):
        old_doc, rest = split_doc(open(path).read())
        if old_doc != doc_text:
            differ.append(path)
            if '--sync' in flags:
                open(path, 'w').write(doc_text + rest)
        continue
    if '--check' in flags:
        differ.append(path)
        continue
    text = doc_text + f"""
use crate::diagnostic::Code;

pub const CODE: Code = Code::{variant};
"""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, 'w').write(text)
if '--check' in flags:
    for path in differ:
        print(f'{path}: its doc differs from docs/diagnostics.md (run scripts/gen-rules.py --sync)')
    sys.exit(1 if differ else 0)
if '--sync' in flags:
    print(len(differ), 'rule docs rewritten from docs/diagnostics.md')
    sys.exit(0)
for family, modules in families.items():
    # What a family's mod.rs holds besides its `pub mod` lines (routing's `Target`) is kept.
    path = f'{repo}/src/rules/{family}/mod.rs'
    head = f'//! The {family} rules: one file per code, named by its slug.\n\n'
    if os.path.exists(path):
        kept = [l for l in open(path).read().split('\n') if not re.match(r'pub mod \w+;$', l)]
        head = '\n'.join(kept).rstrip('\n') + '\n\n'
    open(path, 'w').write(head + ''.join(f'pub mod {m};\n' for m in sorted(modules)))
print(len(codes), 'codes;', {f: len(m) for f, m in sorted(families.items())})
