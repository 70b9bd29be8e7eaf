# test_rpcgen.py: tools/rpcgen on the host, no QEMU (docs/rpc.md): every
# rpc/*.x compiles, and also with Debian's rpcgen when it is installed;
# the generated C has the types and names Sun's rpcgen gives the same file;
# what is outside the subset is refused with the file and line.

import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
RPCGEN = os.path.join(ROOT, "tools", "rpcgen")
INTERFACES = sorted(f for f in os.listdir(os.path.join(ROOT, "rpc")) if f.endswith(".x"))


def rpcgen(tmp_path, text, name="t.x"):
    src = tmp_path / name
    src.write_text(text)
    return subprocess.run([sys.executable, RPCGEN, "-o", str(tmp_path / "out"), str(src)],
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("x", INTERFACES)
def test_every_interface_compiles(tmp_path, x):
    res = subprocess.run([sys.executable, RPCGEN, "-o", str(tmp_path), os.path.join(ROOT, "rpc", x)],
                         capture_output=True, text=True, timeout=30)
    assert res.returncode == 0, res.stderr
    base = x[:-2]
    for suffix in (".h", "_xdr.c", "_clnt.c", "_svc.c"):
        assert (tmp_path / (base + suffix)).exists()


@pytest.mark.skipif(shutil.which("rpcgen") is None or shutil.which("gcc") is None or
                    not os.path.exists("/usr/include/tirpc/rpc/rpc.h"),
                    reason="Debian's rpcgen (rpcsvc-proto) and libtirpc-dev not installed")
@pytest.mark.parametrize("x", INTERFACES)
def test_debians_rpcgen_takes_the_same_files(tmp_path, x):
    shutil.copy(os.path.join(ROOT, "rpc", x), tmp_path)
    subprocess.run(["rpcgen", x], cwd=tmp_path, check=True, capture_output=True, timeout=30)
    for c in sorted(p.name for p in tmp_path.glob("*.c")):
        res = subprocess.run(["gcc", "-c", "-I/usr/include/tirpc", c], cwd=tmp_path,
                             capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stderr


def test_types_follow_suns_rpcgen(tmp_path):
    res = rpcgen(tmp_path, """
        const N = 4;
        enum color { RED = 0, GREEN = 1, BLUE = N };
        typedef string name<16>;
        typedef int nums<>;
        struct s {
            int a; unsigned b; unsigned int c; hyper d; unsigned hyper e; bool f;
            color g; name h; opaque i[3]; opaque j<N>; int k[N]; nums l; s *m;
        };
    """)
    assert res.returncode != 0 and "t.x:8: optional data (*)" in res.stderr, res.stderr
    res = rpcgen(tmp_path, """
        const N = 4;
        enum color { RED = 0, GREEN = 1, BLUE = N };
        typedef string name<16>;
        typedef int nums<>;
        struct s {
            int a; unsigned b; unsigned int c; hyper d; unsigned hyper e; bool f;
            color g; name h; opaque i[3]; opaque j<N>; int k[N]; nums l; string m<>;
        };
        program P { version V { s GET(name) = 1; void PUT(s) = 2; } = 3; } = 0x20000099;
    """)
    assert res.returncode == 0, res.stderr
    h = (tmp_path / "out" / "t.h").read_text()
    for want in ("#define N 4", "BLUE = N,", "typedef char *name;",
                 "unsigned int nums_len;", "int *nums_val;", "\tint a;", "\tunsigned int b;",
                 "\tint64_t d;", "\tuint64_t e;", "\tbool_t f;", "\tcolor g;", "\tname h;",
                 "\tchar i[3];", "unsigned int j_len;", "char *j_val;", "\tint k[N];",
                 "\tnums l;", "\tchar *m;", "#define P 0x20000099", "#define V 3",
                 "#define GET 1", "enum rpc_stat get_3(struct rpc_client *clnt, name *arg, s *res);",
                 "enum rpc_stat put_3(struct rpc_client *clnt, s *arg);",
                 "int\tget_3_svc(name *arg, s *res, struct rpc_req *req);",
                 "int\tput_3_svc(s *arg, struct rpc_req *req);",
                 "int\tp_3_register(struct rpc_server *s, int flags);"):
        assert want in h, want
    xdr = (tmp_path / "out" / "t_xdr.c").read_text()
    # An enum refuses values it does not declare (RFC 4506 4.3).
    assert "*objp != RED && *objp != GREEN && *objp != BLUE" in xdr
    assert "xdr_string(x, &objp->m, XDR_NOLIMIT)" in xdr
    assert "xdr_bytes(x, (uint8_t **)&objp->j.j_val, &objp->j.j_len, N)" in xdr


@pytest.mark.parametrize("text, error", [
    ("union u switch (int d) { case 0: int a; };", "t.x:1: union is outside"),
    ("struct s { float f; };", "t.x:1: 'float' is outside"),
    ("struct s {\n int a;\n quadruple q; };", "t.x:3: 'quadruple' is outside"),
    ("program P { version V { int F(int, int) = 1; } = 1; } = 1;", "more than one argument"),
    ("struct s { int a; }", "unexpected end of file"),
    ("struct s { unknown_t a; };", "unknown type 'unknown_t'"),
    ("typedef int v<M>;", "'M' is not a number or a constant"),
    ("struct s { string a; };", "a string is declared string a<N>"),
    ("#include <x.h>\n", "preprocessor lines are not supported"),
])
def test_outside_the_subset_is_an_error_with_a_line(tmp_path, text, error):
    res = rpcgen(tmp_path, text)
    assert res.returncode == 1 and error in res.stderr, res.stderr
    assert re.match(r"rpcgen: .*t\.x", res.stderr), res.stderr
