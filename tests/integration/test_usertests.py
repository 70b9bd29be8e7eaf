# test_usertests.py: runs the guest's own test suite (/bin/usertests) and
# checks its summary line.  Part of `make integration`.

import re

USERTESTS_TIMEOUT = 120


def test_usertests(node):
    out = node.run("usertests", timeout=USERTESTS_TIMEOUT)
    m = re.search(r"usertests: (\d+) passed, (\d+) failed", out)
    assert m, "no usertests summary line"
    passed, failed = int(m.group(1)), int(m.group(2))
    assert failed == 0, "usertests: %d failed:\n%s" % (failed, out[-3000:])
    assert passed > 20, "only %d usertests ran" % passed
    assert node.run("echo $?") == "0"
