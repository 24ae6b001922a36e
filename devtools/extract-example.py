#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""Write the C code block that follows a "<!-- guide-example" marker in a
Markdown file to OUTPUT, so that the documented example is compiled (and
run) like any other program.

  extract-example.py INPUT.md OUTPUT.c
"""

import re
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    text = open(sys.argv[1]).read()
    m = re.search(r"<!-- guide-example.*?-->\s*```c\n(.*?)\n```", text, re.S)
    if not m:
        sys.exit("%s: no C block after a '<!-- guide-example' marker"
                 % sys.argv[1])
    with open(sys.argv[2], "w") as f:
        f.write("/* Generated from %s: edit it there. */\n" % sys.argv[1])
        f.write("#line %d \"%s\"\n" % (text[:m.start(1)].count("\n") + 1,
                                       sys.argv[1]))
        f.write(m.group(1) + "\n")


if __name__ == "__main__":
    main()
