# labutil.py: small helpers shared by the labs' graders (tests/labs/):
# finding result lines in a program's output and reading numbers from the
# kernel's headers, so the tests follow the source instead of copying it.

import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def line_with(text, prefix):
    """The first line of text that starts with prefix, without the prefix.
    Fails (AssertionError, showing the whole output) if there is none:
    a program that died early prints no result line."""
    for line in text.splitlines():
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    raise AssertionError("no line starting %r in the output:\n%s" % (prefix, text))


def number(pattern, text):
    """The integer group 1 of regular expression pattern in text."""
    m = re.search(pattern, text)
    assert m, "%r not found in:\n%s" % (pattern, text)
    return int(m.group(1))


def header_define(relpath, name):
    """The value of `#define NAME NUMBER` in a header of the tree."""
    with open(os.path.join(ROOT, relpath)) as f:
        m = re.search(r"^#define\s+%s\s+(\d+)" % re.escape(name), f.read(), re.M)
    assert m, "%s not defined in %s" % (name, relpath)
    return int(m.group(1))
