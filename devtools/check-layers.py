#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""Check that the library's layers only reach down (docs/guide.md,
"Architecture").

  check-layers.py LIB_DIR [--archive LIBHYPERBUF.a]
  check-layers.py --self-test LIB_DIR

Fails (exit 1) when:
  - a file of lib/ includes the private header of a higher layer, or of
    another file of its own layer (each private header belongs to one
    file; the layers below include it);
  - lib/ holds a source or private header this table does not place;
  - with --archive: an object of the library calls (or reads) a symbol
    that another object of a higher layer, or of its own layer, defines
    (nm on the static library: the calls themselves, not only the
    includes, go one way).

--self-test copies LIB_DIR, adds an upward include and an upward call
to the copy, and checks that both are caught (and that the copy is
clean without them).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

# (layer name, files): lowest first. A private header is listed with the
# file that implements it; public headers (include/) are open to all.
LAYERS = [
    ("per-lcore", ["hb_lcore.c", "hb_lcore.h"]),
    ("guard", ["hb_guard.c", "hb_guard.h"]),
    ("segments", ["hb_seg.c", "hb_seg.h"]),
    ("buffer", ["hb_buf.c", "hb_buf_int.h"]),
    ("views and streams", ["hb_visit.c", "hb_visit_int.h", "hb_cursor.c",
                           "hb_writer.c"]),
    ("async", ["hb_async.c"]),
    ("init", ["hb_init.c"]),
]

# Private header -> the source file it belongs to.
OWNER = {
    "hb_lcore.h": "hb_lcore.c",
    "hb_guard.h": "hb_guard.c",
    "hb_seg.h": "hb_seg.c",
    "hb_buf_int.h": "hb_buf.c",
    "hb_visit_int.h": "hb_visit.c",
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of():
    return {f: i for i, (_, files) in enumerate(LAYERS) for f in files}


def check_includes(lib_dir):
    """Errors for upward or sideways includes of private headers."""
    layer = layer_of()
    errors = []
    names = sorted(n for n in os.listdir(lib_dir)
                   if n.endswith(".c") or n.endswith(".h"))
    for name in names:
        if name not in layer:
            errors.append(f"{name}: not in the layer table of "
                          f"{os.path.basename(__file__)}")
            continue
        text = open(os.path.join(lib_dir, name)).read()
        for inc in INCLUDE.findall(text):
            if inc not in OWNER:
                if os.path.exists(os.path.join(lib_dir, inc)):
                    errors.append(f"{name}: includes {inc}, a private "
                                  "header with no layer")
                continue  # a public header
            own = OWNER[inc] == name or inc == name
            if own:
                continue
            if layer[inc] >= layer[name]:
                errors.append(
                    f"{name} (layer {layer[name] + 1}, "
                    f"{LAYERS[layer[name]][0]}) includes {inc} "
                    f"(layer {layer[inc] + 1}, {LAYERS[layer[inc]][0]}): "
                    "a layer may include only the layers below it")
    return errors


def nm_objects(archive):
    """{object: (defined symbols, undefined symbols)} of a static library."""
    out = subprocess.run(["nm", "-A", archive], check=True,
                         capture_output=True, text=True).stdout
    objs = {}
    for line in out.splitlines():
        m = re.match(r"[^:]+:([^:]+):\s*(?:[0-9a-f]+)?\s+(\S)\s+(\S+)$",
                     line)
        if not m:
            continue
        obj, kind, sym = m.groups()
        d, u = objs.setdefault(obj, (set(), set()))
        if kind == "U":
            u.add(sym)
        elif kind.isupper():
            d.add(sym)
    return objs


def source_of(obj):
    # meson names objects <source>.o (hb_buf.c.o) or <dir>_<source>.o.
    base = os.path.basename(obj)
    base = base[:-2] if base.endswith(".o") else base
    return base.split("_", 1)[1] if base.startswith("lib_") else base


def check_calls(objs):
    """Errors for calls from a lower (or same) layer into another file."""
    layer = layer_of()
    where = {}
    for obj, (defined, _) in objs.items():
        for sym in defined:
            where[sym] = source_of(obj)
    errors = []
    for obj, (_, undefined) in sorted(objs.items()):
        src = source_of(obj)
        if src not in layer:
            errors.append(f"{obj}: object of no known layer")
            continue
        for sym in sorted(undefined):
            dst = where.get(sym)
            if dst is None or dst == src:
                continue  # DPDK, libc, or its own
            if layer[dst] >= layer[src]:
                errors.append(
                    f"{src} (layer {layer[src] + 1}) uses {sym} of {dst} "
                    f"(layer {layer[dst] + 1}): calls go down only")
    return errors


def self_test(lib_dir):
    """The check must catch an upward include; the copy must be clean."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "lib")
        shutil.copytree(lib_dir, copy,
                        ignore=shutil.ignore_patterns("*.build", "*.map"))
        clean = check_includes(copy)
        if clean:
            print("self-test: the copy of lib/ is not clean:", *clean,
                  sep="\n  ")
            return 1
        # The buffer layer reaching up into the views layer.
        path = os.path.join(copy, "hb_seg.c")
        text = open(path).read()
        open(path, "w").write(text.replace(
            '#include "hb_seg.h"',
            '#include "hb_seg.h"\n#include "hb_visit_int.h"', 1))
        caught = check_includes(copy)
        if not any("hb_seg.c" in e and "hb_visit_int.h" in e
                   for e in caught):
            print("self-test: an upward include was not caught")
            return 1
        # A private header of no layer.
        open(os.path.join(copy, "hb_extra.h"), "w").write("/* */\n")
        if not any("hb_extra.h" in e for e in check_includes(copy)):
            print("self-test: a header of no layer was not caught")
            return 1
    # An upward call, as nm would show it.
    objs = {"hb_seg.c.o": ({"hb_seg_copy"}, {"hb_visit_now", "memcpy"}),
            "hb_visit.c.o": ({"hb_visit_now"}, {"hb_seg_copy"})}
    caught = check_calls(objs)
    if len(caught) != 1 or "hb_visit_now" not in caught[0]:
        print("self-test: the upward call was not caught alone:", caught)
        return 1
    print("self-test: upward include, unplaced header and upward call "
          "all caught")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lib_dir")
    ap.add_argument("--archive", help="the static library, for nm")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        return self_test(args.lib_dir)
    errors = check_includes(args.lib_dir)
    if args.archive:
        errors += check_calls(nm_objects(args.archive))
    for e in errors:
        print("check-layers:", e)
    if errors:
        return 1
    print(f"check-layers: {len(LAYERS)} layers, includes"
          f"{' and calls' if args.archive else ''} go down only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
