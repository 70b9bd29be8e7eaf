# test_mklab.py: host-side checks of tools/mklab (the labs' student-tree maker):
# parsing of LAB regions, the errors for malformed ones, and what a region
# becomes for its own lab and for the others.  Run by `make tools-test`.
# Marker lines are built from pieces here, so that mklab, which searches
# .py files for markers, never takes this file's text for a region.

import importlib.machinery
import importlib.util
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MKLAB = os.path.join(ROOT, "tools", "mklab")

# tools/mklab has no .py suffix: load it by path (leaving no bytecode behind).
sys.dont_write_bytecode = True
_loader = importlib.machinery.SourceFileLoader("mklab", MKLAB)
_spec = importlib.util.spec_from_loader("mklab", _loader)
mklab = importlib.util.module_from_spec(_spec)
_loader.exec_module(mklab)


def c(lab, kind):
    """A C marker line: c("demo", "BEGIN") and so on."""
    return {"BEGIN": "/* LAB %s: BEGIN */", "STUB": "/* LAB %s: STUB",
            "END": "LAB %s: END */"}[kind] % lab


def py(lab, kind):
    return "# LAB %s: %s" % (lab, kind)


def lines(*text):
    return [t + "\n" for t in text]


C_FILE = lines(
    "int a;",
    c("demo", "BEGIN"),
    "int f(void) { return 1; }",
    c("demo", "STUB"),
    "int f(void) { return 0; }	// TODO(lab demo)",
    c("demo", "END"),
    "\t" + c("other", "BEGIN"),
    "\tint g;",
    "\t" + c("other", "STUB"),
    "\t// TODO(lab other)",
    "\t" + c("other", "END"),
    "int z;")


def test_c_regions_found():
    regions = mklab.find_regions("x.c", C_FILE)
    assert [(r.lab, r.style, r.begin, r.stub, r.end) for r in regions] == [
        ("demo", "c", 1, 3, 5), ("other", "c", 6, 8, 10)]


def test_c_transform_for_each_lab():
    regions = mklab.find_regions("x.c", C_FILE)
    demo = "".join(mklab.transform(C_FILE, regions, "demo"))
    assert demo == "".join(lines("int a;", "int f(void) { return 0; }	// TODO(lab demo)",
                                 "\tint g;", "int z;"))
    other = "".join(mklab.transform(C_FILE, regions, "other"))
    assert other == "".join(lines("int a;", "int f(void) { return 1; }",
                                  "\t// TODO(lab other)", "int z;"))


def test_python_stub_is_uncommented_at_its_indentation():
    text = lines(
        "class A:",
        "    " + py("demo", "BEGIN"),
        "    def f(self):",
        "        return 1",
        "    " + py("demo", "STUB"),
        "    # def f(self):",
        "    #     # TODO(lab demo)",
        "    #",
        "    #     return 0",
        "    " + py("demo", "END"))
    regions = mklab.find_regions("x.py", text)
    out = "".join(mklab.transform(text, regions, "demo"))
    assert out == "".join(lines("class A:", "    def f(self):", "        # TODO(lab demo)",
                                "", "        return 0"))


@pytest.mark.parametrize("text, message", [
    (lines(c("demo", "BEGIN"), "x", c("demo", "END")), "without a STUB"),
    (lines(c("demo", "BEGIN"), "x", c("demo", "STUB")), "without an END"),
    (lines(c("demo", "STUB"), c("demo", "END")), "without its BEGIN"),
    (lines(c("demo", "BEGIN"), c("demo", "BEGIN")), "inside the region"),
    (lines(c("demo", "BEGIN"), c("demo", "STUB"), c("demo", "STUB"), c("demo", "END")),
     "second STUB"),
    (lines(c("demo", "BEGIN"), c("demo", "STUB"), "/* nested */", c("demo", "END")),
     "may not contain"),
    (lines(c("demo", "BEGIN"), c("other", "STUB"), c("other", "END")), "without its BEGIN"),
    (lines(py("demo", "BEGIN"), py("demo", "STUB"), "code()", py("demo", "END")),
     "must start with"),
])
def test_malformed_regions(text, message):
    with pytest.raises(mklab.MarkerError, match=message):
        mklab.find_regions("x.c", text)


def test_markers_are_whole_lines():
    text = lines('printf("%s\\n", "' + c("demo", "BEGIN") + '");')
    assert mklab.find_regions("x.c", text) == []


def test_stub_needs_its_todo():
    text = lines(c("demo", "BEGIN"), "x", c("demo", "STUB"), "y", c("demo", "END"))
    found = {"x.c": (text, mklab.find_regions("x.c", text))}
    with pytest.raises(mklab.MarkerError, match="TODO"):
        mklab.check_stubs(found)


def test_source_tree_markers_are_well_formed():
    run = subprocess.run([sys.executable, MKLAB, "--check"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    assert run.returncode == 0, run.stdout
