#!/usr/bin/python3
# grade.py: grades one lab: runs its tests (tests/labs/test_lab_LAB.py) with
# pytest and prints a score out of 100 from the points of the tests that pass.
# Run by `make grade LAB=name`; docs/labs/README.md describes the labs.
"""Grade a lab.

    tools/grade.py LAB [--json FILE] [PYTEST ARGS...]

Each test in tests/labs/test_lab_LAB.py carries its worth as a pytest
marker, @pytest.mark.points(N); the points of a lab add up to 100.  A
test earns its points only if it passes completely (setup, the test, and
teardown).  The last line printed is always

    grade LAB: SCORE/100

The exit status is 0 whenever the tests ran, whatever the score; 2 if the
grader itself could not run (no such lab, a test file that does not load).
--json FILE also writes the result as JSON (for tests/labs/test_labs_ci.py).
Extra arguments go to pytest, e.g. `-k prio` or `-x`.
"""

import json
import os
import sys

# Nothing written into the source tree: no __pycache__, no .pytest_cache.
sys.dont_write_bytecode = True

import pytest  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "tests", "labs")


class Scorer:
    """A pytest plugin that records, for each test, its points and whether
    it passed, from the reports of its three phases."""

    def __init__(self):
        self.tests = {}         # nodeid -> {"name", "points", "outcome"}

    def pytest_collection_modifyitems(self, session, config, items):
        for item in items:
            marker = item.get_closest_marker("points")
            points = marker.args[0] if marker and marker.args else 0
            self.tests[item.nodeid] = {"name": item.name, "points": points,
                                       "outcome": "not run"}

    def pytest_runtest_logreport(self, report):
        test = self.tests.get(report.nodeid)
        if test is None:
            return
        if report.failed:
            # A failure in setup or teardown is as bad as one in the test.
            test["outcome"] = "failed" if report.when == "call" else "error"
        elif report.skipped and test["outcome"] == "not run":
            test["outcome"] = "skipped"
        elif report.passed and report.when == "call" and test["outcome"] == "not run":
            test["outcome"] = "passed"

    def score(self):
        """(earned, total) points."""
        total = sum(t["points"] for t in self.tests.values())
        earned = sum(t["points"] for t in self.tests.values() if t["outcome"] == "passed")
        return earned, total


def labs():
    """The labs that have a grader."""
    names = [f[len("test_lab_"):-len(".py")] for f in os.listdir(TESTS)
             if f.startswith("test_lab_") and f.endswith(".py")]
    return sorted(names)


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip())
        print("\nlabs: " + " ".join(labs()))
        return 2
    lab, rest = argv[0], argv[1:]
    json_path = None
    if "--json" in rest:
        i = rest.index("--json")
        json_path = rest[i + 1] if i + 1 < len(rest) else None
        del rest[i:i + 2]
    test_file = os.path.join(TESTS, "test_lab_%s.py" % lab)
    if not os.path.isfile(test_file):
        print("grade: no lab %r (labs: %s)" % (lab, " ".join(labs())))
        return 2

    scorer = Scorer()
    status = pytest.main([test_file, "-p", "no:cacheprovider", "--rootdir", ROOT,
                          "-q", "--tb=short"] + rest, plugins=[scorer])
    earned, total = scorer.score()
    # Runs that ended early (say -x) count what was not run as failed;
    # scores are out of 100 even if a grader's points do not add up to it.
    score = earned * 100 // total if total else 0

    print("\ngrade %s: per test" % lab)
    for test in scorer.tests.values():
        mark = "PASS" if test["outcome"] == "passed" else test["outcome"].upper()
        got = test["points"] if test["outcome"] == "passed" else 0
        print("  %-8s %3d/%-3d %s" % (mark, got, test["points"], test["name"]))
    if total != 100:
        print("  (the tests' points add up to %d, not 100: scaled)" % total)
    if json_path:
        with open(json_path, "w") as f:
            json.dump({"lab": lab, "score": score, "earned": earned, "total": total,
                       "pytest_status": int(status), "tests": list(scorer.tests.values())},
                      f, indent=1)
    print("grade %s: %d/100" % (lab, score))
    # pytest: 0 all passed, 1 some failed; anything else means the grader
    # itself did not run properly (collection error, no tests, ...).
    return 0 if int(status) in (0, 1) else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
