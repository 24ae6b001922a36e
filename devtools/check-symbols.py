#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""Check the symbols the shared library exports against its version map
and its public headers.

  check-symbols.py LIB.so VERSION.MAP INCLUDE_DIR [--archive LIB.a] [--cc CC]

Fails (exit 1) when:
  - the library exports a symbol the version map does not list, or the map
    lists one the library does not export (nm -D --defined-only);
  - a function declared in INCLUDE_DIR/*.h (not static, not inline) is not
    exported, or an exported symbol is not declared in a public header;
  - an exported name does not follow the hb_ / __hb_ naming rule, or an
    internal (__hb_) symbol is outside the INTERNAL block;
  - a public function (any hb_ function the headers declare or define,
    static inline ones and macro-generated ones included) is declared
    without __rte_experimental, an internal (__hb_) one with it, or
    __rte_experimental is not alone on its line (DPDK's layout: on the
    line before the return type);
  - with --archive (the static library, whose objects keep their sections:
    the linker merges .text.* into the shared library's .text), a function
    of the EXPERIMENTAL block is not in section .text.experimental, or a
    global function in that section is not in the EXPERIMENTAL block
    (objdump -t), as DPDK's buildtools/check-symbols.sh checks.

Headers are read through the C preprocessor (CC -E, with libdpdk's flags
from pkg-config), so macros that generate functions are expanded and
nothing outside INCLUDE_DIR is looked at. __rte_experimental is redefined
to a marker word first, so that it survives the expansion of the macros
that generate functions and shows which declarations carry it.
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


# What __rte_experimental becomes in the preprocessed headers.
EXP_MARK = "__hb_check_symbols_experimental__"


def header_functions(include_dir, cc):
    """Non-static, non-inline functions (and extern objects) declared in
    include_dir/*.h, and every function declaration or definition there:
    (name, carries __rte_experimental)."""
    include_dir = os.path.realpath(include_dir)
    headers = sorted(h for h in glob.glob(os.path.join(include_dir, "*.h"))
                     if not h.endswith("_pvt.h"))
    # rte_compat.h first (include guard), then our marker in its place.
    src = ("#include <rte_compat.h>\n#undef __rte_experimental\n"
           "#define __rte_experimental %s\n" % EXP_MARK)
    src += "".join('#include "%s"\n' % os.path.basename(h) for h in headers)
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
                cur.append("{body}" if is_body else "{}")
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
    every = []
    for d in decls:
        d = " ".join(d.split())
        if not d or "{}" in d:
            continue
        head = d.split("(")[0]
        words = IDENT.findall(head)
        marked = EXP_MARK in words
        words = [w for w in words if w != EXP_MARK]
        if not words:
            continue
        if words[0] in ("typedef", "_Static_assert", "static_assert"):
            continue
        # A function (not a function pointer variable "type (*name)(...)").
        if "(" in d and not re.match(r"[^(]*\(\s*\*", d):
            every.append((words[-1], marked))
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
    return funcs, every


def experimental_layout(include_dir):
    """Lines of include_dir/*.h where __rte_experimental is not alone on
    its line (a trailing backslash allowed, inside a macro)."""
    bad = []
    for h in sorted(glob.glob(os.path.join(include_dir, "*.h"))):
        # Comments out, their lines kept (they may name the macro).
        text = re.sub(r"/\*.*?\*/|//[^\n]*",
                      lambda m: "\n" * m.group(0).count("\n"),
                      open(h).read(), flags=re.S)
        for n, line in enumerate(text.split("\n"), 1):
            if ("__rte_experimental" in line and
                    not re.match(r"\s*__rte_experimental\s*(\\)?\s*$",
                                 line)):
                bad.append("%s:%d" % (os.path.basename(h), n))
    return bad


def function_sections(archive):
    """{name: section} for the global functions defined in the objects of
    a static library (objdump -t)."""
    out = subprocess.run(["objdump", "-t", archive], check=True,
                         capture_output=True, text=True).stdout
    secs = {}
    for line in out.splitlines():
        # "addr flags section<TAB>size name": flags are 7 columns.
        m = re.match(r"[0-9a-f]+ (.{7}) (\S+)\t[0-9a-f]+\s+(\S+)$", line)
        if m and m.group(1)[0] == "g" and m.group(1)[6] == "F":
            secs[m.group(3)] = m.group(2)
    return secs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("lib")
    ap.add_argument("map")
    ap.add_argument("include_dir")
    ap.add_argument("--archive",
                    help="static library: check .text.experimental")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    args = ap.parse_args()

    exp = exported(args.lib)
    vmap = version_map(args.map)
    decl, every = header_functions(args.include_dir, args.cc)
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

    # Every public function is experimental, no internal one is: on every
    # declaration and definition (a definition after a prototype too).
    for name, marked in every:
        if name.startswith("__"):
            if marked:
                errors.append("internal function %s declared"
                              " __rte_experimental" % name)
        elif not marked:
            errors.append("public function %s declared without"
                          " __rte_experimental" % name)
    for where in experimental_layout(args.include_dir):
        errors.append("%s: __rte_experimental not alone on its line"
                      % where)

    nsec = 0
    if args.archive:
        secs = function_sections(args.archive)
        for s, block in sorted(vmap.items()):
            if block == "EXPERIMENTAL" and s in secs:
                nsec += 1
                if secs[s] != ".text.experimental":
                    errors.append("%s is in EXPERIMENTAL but in section %s,"
                                  " not .text.experimental (no"
                                  " __rte_experimental on its declaration?)"
                                  % (s, secs[s]))
        for s, sec in sorted(secs.items()):
            if sec == ".text.experimental" and vmap.get(s) != "EXPERIMENTAL":
                errors.append("%s is in section .text.experimental but not"
                              " in the EXPERIMENTAL block" % s)
        for s, block in sorted(vmap.items()):
            if block == "EXPERIMENTAL" and s not in secs:
                errors.append("%s is in EXPERIMENTAL but no function of %s"
                              % (s, args.archive))

    for e in errors:
        print("check-symbols: " + e)
    print("check-symbols: %d exported, %d in the version map, %d declared"
          " in public headers, %d declarations checked for"
          " __rte_experimental, %d experimental functions' sections: %s"
          % (len(exp), len(vmap), len(decl), len(every), nsec,
             "FAILED" if errors else "ok"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
