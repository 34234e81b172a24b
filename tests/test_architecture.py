"""The architecture, read from the source with ``ast``: the rules a test can hold.

- ``guides/`` has no import cycle, counting the imports inside functions too:
  an import moved into a function to dodge a cycle is still a cycle of the
  design, only one that fails later (or never, until a refactoring).
- ``guides/models/`` sits at the bottom: it imports the tenancy managers and
  nothing of the layers above it (services, selectors, admin, public ...).
- ``guides/permissions.py`` is the only module that compares roles.

Imports under ``if TYPE_CHECKING:`` never run and are left out. An import of a
package (``from guides.services import article_save``) is an edge to the
package's ``__init__``; ``from guides.models import articles`` is an edge to the
submodule. Parent packages are not implied (as in grimp/import-linter).
"""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from pathlib import Path

GUIDES = Path(__file__).resolve().parent.parent / "guides"


@dataclass(frozen=True)
class Edge:
    """One import statement: ``source`` imports ``target`` at ``path:line``."""

    source: str
    target: str
    path: Path
    line: int

    def describe(self, root: Path) -> str:
        where = self.path.relative_to(root.parent)
        return f"{where}:{self.line} {self.source} -> {self.target}"


def modules(root: Path) -> dict[str, Path]:
    """Map the dotted name of every module of the package at ``root`` to its file."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST):
    """Yield every import statement that can run, at any depth."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _longest_known(name: str, known: dict[str, Path]) -> str | None:
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    return None


def import_graph(root: Path) -> dict[str, list[Edge]]:
    """Return the edges of every module of the package at ``root`` to its siblings."""
    known = modules(root)
    graph: dict[str, list[Edge]] = {name: [] for name in known}
    for source, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package = source if path.name == "__init__.py" else source.rpartition(".")[0]
        for node in _runtime_imports(tree):
            targets: list[str | None] = []
            if isinstance(node, ast.Import):
                targets = [_longest_known(alias.name, known) for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    if submodule in known:
                        targets.append(submodule)
                    else:
                        targets.append(_longest_known(base, known) if base else None)
            for target in targets:
                if target is not None and target != source:
                    graph[source].append(Edge(source, target, path, node.lineno))
    return graph


def _components(graph: dict[str, list[Edge]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for edge in graph[node]:
            if edge.target not in index:
                visit(edge.target)
                low[node] = min(low[node], low[edge.target])
            elif edge.target in on_stack:
                low[node] = min(low[node], index[edge.target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _shortest_cycle(graph: dict[str, list[Edge]], members: list[str]) -> list[Edge]:
    """Return the shortest cycle through the first of ``members``, inside them."""
    start, inside = members[0], set(members)
    came_by: dict[str, Edge] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for edge in graph[node]:
            if edge.target not in inside:
                continue
            if edge.target == start:
                path = [edge]
                while path[0].source != start:
                    path.insert(0, came_by[path[0].source])
                return path
            if edge.target not in came_by:
                came_by[edge.target] = edge
                queue.append(edge.target)
    raise AssertionError(f"{members} is no cycle")  # pragma: no cover


def import_cycles(root: Path) -> list[tuple[list[str], list[Edge]]]:
    """Return each import cycle as (its modules, one shortest cycle through them)."""
    graph = import_graph(root)
    return [
        (members, _shortest_cycle(graph, members)) for members in _components(graph)
    ]


def describe_cycles(root: Path, cycles) -> str:
    lines = []
    for members, cycle in cycles:
        lines.append(f"cycle among {', '.join(members)}:")
        lines.extend(f"    {edge.describe(root)}" for edge in cycle)
    return "\n".join(lines)


# --- the detector, on a package written for the test ---------------------------


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / next(iter(files)).split("/")[0]


def test_the_detector_finds_a_cycle_closed_by_an_import_inside_a_function(
    tmp_path,
):
    """A relative import inside a function closes a cycle, and it is reported."""
    package = write_package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg import b\n",
            "pkg/b.py": "import pkg.c\n",
            "pkg/c.py": "import os\n\n\ndef later():\n    from .a import thing\n",
            "pkg/d.py": "from pkg.a import thing\n",
        },
    )
    cycles = import_cycles(package)
    assert [members for members, _cycle in cycles] == [["pkg.a", "pkg.b", "pkg.c"]]
    _members, cycle = cycles[0]
    assert [edge.describe(package) for edge in cycle] == [
        "pkg/a.py:1 pkg.a -> pkg.b",
        "pkg/b.py:1 pkg.b -> pkg.c",
        "pkg/c.py:5 pkg.c -> pkg.a",
    ]
    assert "pkg/c.py:5 pkg.c -> pkg.a" in describe_cycles(package, cycles)


def test_the_detector_resolves_packages_and_leaves_out_type_checking_imports(
    tmp_path,
):
    """Subpackages, ``..`` and re-exports resolve; TYPE_CHECKING is no edge."""
    package = write_package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/models/__init__.py": "from .tenants import Tenant\n",
            "pkg/models/tenants.py": (
                "from typing import TYPE_CHECKING\n"
                "from ..tenancy import Owned\n"
                "if TYPE_CHECKING:\n"
                "    from pkg.services import save\n"
            ),
            "pkg/tenancy/__init__.py": "from pkg.tenancy.context import Owned\n",
            "pkg/tenancy/context.py": "class Owned: ...\n",
            "pkg/services.py": "from pkg.models import Tenant\n",
        },
    )
    graph = import_graph(package)
    assert {name: sorted(e.target for e in edges) for name, edges in graph.items()} == {
        "pkg": [],
        "pkg.models": ["pkg.models.tenants"],
        "pkg.models.tenants": ["pkg.tenancy"],
        "pkg.tenancy": ["pkg.tenancy.context"],
        "pkg.tenancy.context": [],
        "pkg.services": ["pkg.models"],
    }
    assert import_cycles(package) == []
    # the same import at run time closes a cycle
    tenants = package / "models" / "tenants.py"
    tenants.write_text("from ..tenancy import Owned\nfrom pkg.services import save\n")
    assert [members for members, _cycle in import_cycles(package)] == [
        ["pkg.models", "pkg.models.tenants", "pkg.services"]
    ]


# --- the rules, on guides/ ----------------------------------------------------------


def test_guides_has_no_import_cycle():
    """No module of guides/ reaches itself again through its imports."""
    cycles = import_cycles(GUIDES)
    assert not cycles, "import cycles:\n" + describe_cycles(GUIDES, cycles)


#: What models may import: each other and the tenancy managers they are built on.
MODELS_MAY_IMPORT = ("guides.models", "guides.tenancy")


def _within(name: str, prefixes) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_models_import_nothing_of_the_layers_above_them():
    """guides/models imports only guides.models and guides.tenancy.

    Stricter than "nothing from services, admin or public": selectors,
    publishing, cache and search sit above the models too.
    """
    graph = import_graph(GUIDES)
    outside = [
        edge.describe(GUIDES)
        for name, edges in graph.items()
        if _within(name, ["guides.models"])
        for edge in edges
        if not _within(edge.target, MODELS_MAY_IMPORT)
    ]
    assert not outside, "models import from above:\n" + "\n".join(outside)


def test_the_models_rule_sees_a_forbidden_import(tmp_path):
    """The models rule is not vacuous: an import of services is found."""
    package = write_package(
        tmp_path,
        {
            "guides/__init__.py": "",
            "guides/models/__init__.py": "def f():\n    from guides import services\n",
            "guides/services.py": "",
        },
    )
    edges = import_graph(package)["guides.models"]
    assert [(e.target, e.line) for e in edges] == [("guides.services", 2)]
    assert not _within(edges[0].target, MODELS_MAY_IMPORT)


ROLE_NAMES = {"EDITOR", "REVIEWER", "MANAGER"}
ROLE_VALUES = {"editor", "reviewer", "manager"}


def _is_role(node: ast.expr) -> bool:
    """Whether ``node`` is a role: ``X.Role.MANAGER``, ``MANAGER``, ``x.role``."""
    if isinstance(node, ast.Attribute):
        if node.attr == "role":
            return True
        value = node.value
        named_role = (isinstance(value, ast.Name) and value.id == "Role") or (
            isinstance(value, ast.Attribute) and value.attr == "Role"
        )
        return named_role or node.attr in ROLE_NAMES
    if isinstance(node, ast.Name):
        return node.id in ROLE_NAMES
    if isinstance(node, ast.Constant):
        return node.value in ROLE_VALUES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_role(element) for element in node.elts)
    return False


#: Where a name, an attribute access and an imported name keep the name.
NAME_ATTRIBUTE = {ast.Name: "id", ast.Attribute: "attr", ast.alias: "name"}


def role_comparisons(path: Path, root: Path) -> list[str]:
    """Return ``file:line`` of each role comparison and ROLE_RANK use in ``path``."""
    where = path.relative_to(root.parent).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []

    for node in ast.walk(tree):
        name = getattr(node, NAME_ATTRIBUTE.get(type(node), ""), None)
        if name == "ROLE_RANK":
            found.append((node.lineno, "uses ROLE_RANK"))
        if isinstance(node, ast.Compare) and any(
            _is_role(operand) for operand in [node.left, *node.comparators]
        ):
            found.append((node.lineno, ast.unparse(node)))
    return [f"{where}:{line} {what}" for line, what in sorted(found)]


def test_only_permissions_compares_roles():
    """No module but guides/permissions.py compares roles or reads ROLE_RANK.

    Passing a role along (``require_role(role=MANAGER)``, a filter
    ``role=MANAGER``) is no comparison; asking "is this role at least that
    one?" anywhere else is: ``permissions.role_allows`` answers it.
    """
    found = [
        line
        for path in sorted(GUIDES.rglob("*.py"))
        if path.name != "permissions.py" or path.parent != GUIDES
        if "migrations" not in path.relative_to(GUIDES).parts
        for line in role_comparisons(path, GUIDES)
    ]
    assert not found, "roles compared outside permissions.py:\n" + "\n".join(found)


def test_the_role_rule_sees_comparisons(tmp_path):
    """Each way of comparing roles is found; passing a role along is not."""
    package = write_package(
        tmp_path,
        {
            "guides/__init__.py": "",
            "guides/admin.py": (
                "from guides.permissions import MANAGER, ROLE_RANK\n"
                "from guides.models import Membership\n"
                "def f(role, membership, user):\n"
                "    require_role(user=user, role=Membership.Role.EDITOR)\n"
                "    Membership.objects.filter(role=MANAGER)\n"
                "    if role == MANAGER:\n"
                "        pass\n"
                "    if membership.role in ('editor', 'reviewer'):\n"
                "        pass\n"
                "    if Membership.Role.REVIEWER != role:\n"
                "        pass\n"
                "    return ROLE_RANK[role]\n"
            ),
        },
    )
    assert role_comparisons(package / "admin.py", package) == [
        "guides/admin.py:1 uses ROLE_RANK",
        "guides/admin.py:6 role == MANAGER",
        "guides/admin.py:8 membership.role in ('editor', 'reviewer')",
        "guides/admin.py:10 Membership.Role.REVIEWER != role",
        "guides/admin.py:12 uses ROLE_RANK",
    ]
