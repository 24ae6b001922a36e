#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""Check the symbols the shared library exports against its version map
and its public headers.

  check-symbols.py LIB.so VERSION.MAP INCLUDE_DIR [--cc CC]

Fails (exit 1) when:
  - the library exports a symbol the version map does not list, or the map
    lists one the library does not export (nm -D --defined-only);
  - a function declared in INCLUDE_DIR/*.h (not static, not inline) is not
    exported, or an exported symbol is not declared in a public header;
  - an exported name does not follow the hb_ / __hb_ naming rule, or an
    internal (__hb_) symbol is outside the INTERNAL block.

Headers are read through the C preprocessor (CC -E, with libdpdk's flags
from pkg-config), so macros that generate functions are expanded and
nothing outside INCLUDE_DIR is looked at.
"""

import argparse
import glob
import os
import re
import shlex
import subprocess
import sys

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def exported(lib):
    """Names of the defined dynamic symbols of lib, version suffix removed."""
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind, name = parts[1], parts[2]
        if kind == "A":     # version node names (EXPERIMENTAL, INTERNAL)
            continue
        names.add(name.split("@")[0])
    return names


def version_map(path):
    """{symbol: block} for the global: parts of a GNU ld version script."""
    text = re.sub(r"#[^\n]*", "", open(path).read())
    syms = {}
    for m in re.finditer(r"([A-Za-z_][A-Za-z0-9_]*)\s*\{(.*?)\}", text,
                         re.S):
        block, body = m.group(1), m.group(2)
        scope = None
        for tok in re.findall(r"[A-Za-z_*][A-Za-z0-9_*]*\s*:|[^;:\s]+\s*;",
                              body):
            tok = tok.strip()
            if tok.endswith(":"):
                scope = tok[:-1].strip()
            elif scope == "global":
                name = tok[:-1].strip()
                if name in syms:
                    sys.exit("%s: %s listed twice" % (path, name))
                syms[name] = block
    return syms


def strip_attributes(text):
    """Remove __attribute__((...)) and __asm__(...) with balanced parens."""
    out = []
    i = 0
    kw = re.compile(r"\b(__attribute__|__asm__|asm|__extension__)\b")
    while True:
        m = kw.search(text, i)
        if not m:
            out.append(text[i:])
            break
        out.append(text[i:m.start()])
        j = m.end()
        if m.group(1) == "__extension__":
            i = j
            continue
        while j < len(text) and text[j].isspace():
            j += 1
        if j >= len(text) or text[j] != "(":
            i = j
            continue
        depth = 0
        while j < len(text):
            if text[j] == "(":
                depth += 1
            elif text[j] == ")":
                depth -= 1
                if depth == 0:
                    j += 1
                    break
            j += 1
        i = j
    return "".join(out)


def header_functions(include_dir, cc):
    """Non-static, non-inline functions (and extern objects) declared in
    include_dir/*.h."""
    include_dir = os.path.realpath(include_dir)
    headers = sorted(h for h in glob.glob(os.path.join(include_dir, "*.h"))
                     if not h.endswith("_pvt.h"))
    src = "".join('#include "%s"\n' % os.path.basename(h) for h in headers)
    cflags = subprocess.run(["pkg-config", "--cflags", "libdpdk"], check=True,
                            capture_output=True, text=True).stdout
    cmd = (shlex.split(cc) + ["-E", "-std=c11", "-D_GNU_SOURCE"] +
           shlex.split(cflags) + ["-I", include_dir, "-x", "c", "-"])
    pre = subprocess.run(cmd, input=src, check=True, capture_output=True,
                         text=True).stdout

    # Keep only the text that comes from our headers (line markers).
    ours = []
    keep = False
    for line in pre.splitlines():
        m = re.match(r'#\s*\d+\s+"([^"]*)"', line)
        if m:
            keep = os.path.dirname(os.path.realpath(m.group(1))) == include_dir
            continue
        if keep and not line.startswith("#"):
            ours.append(line)
    text = strip_attributes("\n".join(ours))
    # RTE_DECLARE_PER_LCORE: "extern __thread __typeof__(type) per_lcore_x".
    text = re.sub(r"__typeof__\s*\([^()]*\)", "T", text)

    # Split into top-level declarations. A brace block after ")" is a
    # function body and ends the declaration; other blocks (struct, enum)
    # are kept as "{}" until the ";".
    decls = []
    cur = []
    depth = 0
    for ch in text:
        if ch == "{":
            if depth == 0:
                is_body = "".join(cur).rstrip().endswith(")")
                cur.append("{}")
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and is_body:
                decls.append("".join(cur))
                cur = []
        elif depth == 0:
            if ch == ";":
                decls.append("".join(cur))
                cur = []
            else:
                cur.append(ch)
    funcs = set()
    for d in decls:
        d = " ".join(d.split())
        if not d or "{}" in d:
            continue
        head = d.split("(")[0]
        words = IDENT.findall(head)
        if not words:
            continue
        if words[0] in ("typedef", "_Static_assert", "static_assert"):
            continue
        if "static" in words or "inline" in words:
            continue
        if "(" not in d:
            # Data: only "extern type name" declares an exported object.
            if words[0] == "extern" and len(words) > 2:
                funcs.add(words[-1])
            continue
        # A function pointer variable: "type (*name)(args)".
        if re.match(r"[^(]*\(\s*\*", d):
            continue
        funcs.add(words[-1])
    return funcs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("lib")
    ap.add_argument("map")
    ap.add_argument("include_dir")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    args = ap.parse_args()

    exp = exported(args.lib)
    vmap = version_map(args.map)
    decl = header_functions(args.include_dir, args.cc)
    errors = []

    for s in sorted(exp - set(vmap)):
        errors.append("exported but not in %s: %s" % (args.map, s))
    for s in sorted(set(vmap) - exp):
        errors.append("in %s but not exported: %s" % (args.map, s))
    for s in sorted(decl - exp):
        errors.append("declared in a public header but not exported: " + s)
    for s in sorted(exp - decl):
        errors.append("exported but declared in no public header: " + s)
    for s, block in sorted(vmap.items()):
        if s.startswith("per_lcore___hb_"):
            s = s[len("per_lcore_"):]  # RTE_DEFINE_PER_LCORE(type, __hb_x)
        if not (s.startswith("hb_") or s.startswith("__hb_")):
            errors.append("exported name outside the hb_ namespace: " + s)
        elif s.startswith("__hb_") and block != "INTERNAL":
            errors.append("internal symbol %s is in %s, not INTERNAL"
                          % (s, block))
        elif s.startswith("hb_") and block == "INTERNAL":
            errors.append("public symbol %s is in INTERNAL" % s)

    for e in errors:
        print("check-symbols: " + e)
    print("check-symbols: %d exported, %d in the version map, %d declared"
          " in public headers: %s"
          % (len(exp), len(vmap), len(decl),
             "FAILED" if errors else "ok"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
