# test_mklab.py: host-side checks of tools/mklab (the labs' student-tree maker):
# parsing of LAB regions and of labs/LAB.stubs files, the errors for malformed
# or unpaired ones, and what a region becomes for its own lab and for the
# others.  Run by `make tools-test`.  Marker lines are built from pieces here,
# so that mklab, which searches .py files for markers, never takes this
# file's text for a region.

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


def c(lab, kind, name):
    """A C marker line: c("demo", "BEGIN", "f") and so on."""
    return "/* LAB %s: %s %s */" % (lab, kind, name)


def py(lab, kind, name):
    return "# LAB %s: %s %s" % (lab, kind, name)


def lines(*text):
    return [t + "\n" for t in text]


C_FILE = lines(
    "int a;",
    c("demo", "BEGIN", "f"),
    "int f(void) { return 1; }",
    c("demo", "END", "f"),
    "\t" + c("other", "BEGIN", "g"),
    "\tint g;",
    "\t" + c("other", "END", "g"),
    "int z;")

# The two labs' stub files for C_FILE, as parse_stubs() sees them.
DEMO_STUBS = lines(
    "# the demo lab's stubs",
    "@@ x.c f",
    "int f(void) { return 0; }\t// TODO(lab demo)",
    "",
    "")
OTHER_STUBS = lines(
    "@@ x.c g",
    "\t// TODO(lab other)")


def stubs_for_c_file():
    return {"demo": mklab.parse_stubs("demo", "labs/demo.stubs", DEMO_STUBS),
            "other": mklab.parse_stubs("other", "labs/other.stubs", OTHER_STUBS)}


def test_c_regions_found():
    regions = mklab.find_regions("x.c", C_FILE)
    assert [(r.lab, r.name, r.begin, r.end) for r in regions] == [
        ("demo", "f", 1, 3), ("other", "g", 4, 6)]


def test_stub_sections_lose_trailing_blank_lines_only():
    stubs = mklab.parse_stubs("demo", "labs/demo.stubs",
                              lines("header", "@@ x.c f", "", "a", "", "b", "", "@@ y.py g", "c"))
    assert sorted(stubs) == [("x.c", "f"), ("y.py", "g")]
    assert stubs[("x.c", "f")].lines == lines("", "a", "", "b")
    assert stubs[("x.c", "f")].where == "labs/demo.stubs:2"
    assert stubs[("y.py", "g")].lines == lines("c")


def test_c_transform_for_each_lab():
    regions = mklab.find_regions("x.c", C_FILE)
    stubs = stubs_for_c_file()
    mklab.check({"x.c": (C_FILE, regions)}, stubs)
    demo = "".join(mklab.transform(C_FILE, regions, "demo", stubs["demo"]))
    assert demo == "".join(lines("int a;", "int f(void) { return 0; }\t// TODO(lab demo)",
                                 "\tint g;", "int z;"))
    other = "".join(mklab.transform(C_FILE, regions, "other", stubs["other"]))
    assert other == "".join(lines("int a;", "int f(void) { return 1; }",
                                  "\t// TODO(lab other)", "int z;"))


def test_python_region_takes_its_stub_as_written():
    text = lines(
        "class A:",
        "    " + py("demo", "BEGIN", "f"),
        "    def f(self):",
        "        return 1",
        "    " + py("demo", "END", "f"))
    stub = lines("@@ a.py f", "    def f(self):", "        # TODO(lab demo)", "", "        return 0")
    regions = mklab.find_regions("a.py", text)
    stubs = mklab.parse_stubs("demo", "labs/demo.stubs", stub)
    out = "".join(mklab.transform(text, regions, "demo", stubs))
    assert out == "".join(lines("class A:", "    def f(self):", "        # TODO(lab demo)",
                                "", "        return 0"))


@pytest.mark.parametrize("text, message", [
    (lines(c("demo", "BEGIN", "f"), "x"), "without an END"),
    (lines(c("demo", "END", "f")), "without its BEGIN"),
    (lines(c("demo", "BEGIN", "f"), c("demo", "BEGIN", "g")), "inside the region"),
    (lines(c("demo", "BEGIN", "f"), c("demo", "END", "g")), "without its BEGIN"),
    (lines(c("demo", "BEGIN", "f"), c("other", "END", "f")), "without its BEGIN"),
    (lines(c("demo", "BEGIN", "f"), py("demo", "END", "f")), "without its BEGIN"),
    (lines(c("demo", "BEGIN", "f"), c("demo", "END", "f"),
           c("demo", "BEGIN", "f"), c("demo", "END", "f")), "a second region"),
    # The old form, a stub inside the region, and a marker without a name.
    (lines("/* LAB demo" + ": STUB"), "not a marker"),
    (lines("/* LAB demo" + ": BEGIN */"), "not a marker"),
    (lines("# LAB demo" + ": END"), "not a marker"),
])
def test_malformed_regions(text, message):
    with pytest.raises(mklab.MarkerError, match=message):
        mklab.find_regions("x.c", text)


def test_markers_are_whole_lines():
    text = lines('printf("%s\\n", "' + c("demo", "BEGIN", "f") + '");')
    assert mklab.find_regions("x.c", text) == []


@pytest.mark.parametrize("text, message", [
    (lines("@@ x.c"), "a section starts"),
    (lines("@@x.c f"), "a section starts"),
    (lines("@@ x.c f", "a", "@@ x.c f", "b"), "a second stub"),
])
def test_malformed_stub_files(text, message):
    with pytest.raises(mklab.MarkerError, match=message):
        mklab.parse_stubs("demo", "labs/demo.stubs", text)


def test_every_region_needs_a_stub():
    regions = mklab.find_regions("x.c", C_FILE)
    stubs = stubs_for_c_file()
    del stubs["other"]
    with pytest.raises(mklab.MarkerError, match="region g of lab other has no stub"):
        mklab.check({"x.c": (C_FILE, regions)}, stubs)


def test_every_stub_needs_a_region():
    regions = mklab.find_regions("x.c", C_FILE)
    stubs = stubs_for_c_file()
    stubs["demo"].update(mklab.parse_stubs("demo", "labs/demo.stubs",
                                           lines("@@ x.c h", "// TODO(lab demo)")))
    with pytest.raises(mklab.MarkerError, match="has no region"):
        mklab.check({"x.c": (C_FILE, regions)}, stubs)
    # A stub in the wrong lab's file has no region either.
    stubs = stubs_for_c_file()
    stubs["other"].update(mklab.parse_stubs("other", "labs/other.stubs", DEMO_STUBS))
    with pytest.raises(mklab.MarkerError, match="has no region"):
        mklab.check({"x.c": (C_FILE, regions)}, stubs)


def test_stub_needs_its_todo():
    regions = mklab.find_regions("x.c", C_FILE)
    stubs = stubs_for_c_file()
    stubs["demo"] = mklab.parse_stubs("demo", "labs/demo.stubs", lines("@@ x.c f", "y"))
    with pytest.raises(mklab.MarkerError, match="TODO"):
        mklab.check({"x.c": (C_FILE, regions)}, stubs)


def test_student_tree_of_a_small_tree(tmp_path):
    """The whole path on a tree without git: scan, check, make_tree."""
    src, out = tmp_path / "src", tmp_path / "out"
    (src / "labs").mkdir(parents=True)
    (src / "x.c").write_text("".join(C_FILE))
    (src / "labs" / "demo.stubs").write_text("".join(DEMO_STUBS))
    (src / "labs" / "other.stubs").write_text("".join(OTHER_STUBS))
    (src / "notes.md").write_text(c("demo", "BEGIN", "shown") + "\n")   # not source
    found, stubs = mklab.scan(str(src))
    mklab.check(found, stubs)
    assert mklab.labs_of(found) == ["demo", "other"]
    mklab.make_tree("demo", str(out), found, stubs, root=str(src))
    assert (out / "x.c").read_text() == "".join(lines(
        "int a;", "int f(void) { return 0; }\t// TODO(lab demo)", "\tint g;", "int z;"))
    assert (out / "notes.md").exists() and (out / ".brinch-lab").read_text() == "demo\n"
    # The stubs stay with the instructor, so the student tree is consistent:
    # no regions and no stubs.
    assert not (out / "labs").exists()
    assert mklab.scan(str(out)) == ({}, {})


def test_source_tree_markers_are_well_formed():
    run = subprocess.run([sys.executable, MKLAB, "--check"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    assert run.returncode == 0, run.stdout
