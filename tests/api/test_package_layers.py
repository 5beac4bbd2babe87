"""The API package's modules import one another one way only (issue 15).

Ten of them once imported each other in a loop (the error handlers needed the lookups and
the schemas, which needed the errors), so none could be read, tested or changed alone.
Each module now has a layer and imports only from its own layer or those below; imports
inside functions and under ``TYPE_CHECKING`` count, as grimp and import-linter count them,
so a lazy import cannot hide a loop.
"""

from __future__ import annotations

import grimp
import pytest

# Lowest first. A new module of kintsugi/api must be given its layer here.
LAYERS: tuple[tuple[str, ...], ...] = (
    # The error shape, the request schemas' shared types, and plain helpers: nothing of api.
    ("errors", "schemas.common", "pagination", "references", "openapi", "apps"),
    # Who is calling, versions and PATCH bodies, the HTTP guards: the error shape only.
    ("auth", "concurrency", "patches", "transport"),
    # Finding the object a URL names, for the caller.
    ("lookups",),
    # The read / add / change / delete steps every section's endpoints share.
    ("parts",),
    # One schema module per section, and the JSON form of a row built from them.
    (
        "schemas.timeline",
        "schemas.incidents",
        "schemas.factors",
        "schemas.lessons",
        "schemas.action_items",
        "schemas.teams",
        "schemas.representation",
        "schemas.trackers",
        "schemas.reviews",
        "schemas.history",
        "schemas.administration",
    ),
    # Exceptions answered in the error shape (a 409 carries the stored object).
    ("handlers",),
    # The endpoints.
    (
        "routers.timeline",
        "routers.incidents",
        "routers.documents",
        "routers.factors",
        "routers.lessons",
        "routers.action_items",
        "routers.teams",
        "routers.services",
        "routers.users",
        "routers.lint",
        "routers.five_whys",
        "routers.insights",
        "routers.trackers",
        "routers.reviews",
        "routers.search",
        "routers.history",
        "routers.administration",
    ),
    # The NinjaAPI that puts them together.
    ("urls",),
)
PACKAGES = {"kintsugi.api", "kintsugi.api.routers", "kintsugi.api.schemas"}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("kintsugi", cache_dir=None)


def _api_modules(graph: grimp.ImportGraph) -> set[str]:
    return {m for m in graph.modules if m.startswith("kintsugi.api.")} - PACKAGES


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & modules) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1 or module in edges[module]:
                found.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def test_no_module_of_the_api_is_in_an_import_loop(graph):
    """Over the whole of kintsugi: a loop through another app counts too."""
    loops = _cycles(graph, set(graph.modules))
    assert [loop for loop in loops if any(m.startswith("kintsugi.api") for m in loop)] == []


def test_every_module_has_a_layer(graph):
    named = {f"kintsugi.api.{name}" for layer in LAYERS for name in layer}
    assert _api_modules(graph) - named == set(), "give the new module its layer in LAYERS"
    assert named - _api_modules(graph) == set(), "a module named in LAYERS no longer exists"


def test_imports_point_down_the_layers(graph):
    level = {f"kintsugi.api.{name}": n for n, layer in enumerate(LAYERS) for name in layer}
    upward = [
        f"{importer} imports {imported}"
        for importer in sorted(_api_modules(graph))
        for imported in sorted(graph.find_modules_directly_imported_by(importer))
        if imported in level and level[imported] > level[importer]
    ]
    assert upward == []


def test_the_bottom_layer_imports_nothing_of_the_api(graph):
    for name in LAYERS[0]:
        imported = graph.find_modules_directly_imported_by(f"kintsugi.api.{name}")
        assert {m for m in imported if m.startswith("kintsugi.api")} == set(), name


def test_the_check_sees_a_loop_made_by_an_import_inside_a_function(graph):
    """The check itself can fail: a lazy import back from errors is a loop it reports."""
    graph.add_import(importer="kintsugi.api.errors", imported="kintsugi.api.lookups")
    try:
        loops = _cycles(graph, _api_modules(graph))
    finally:
        graph.remove_import(importer="kintsugi.api.errors", imported="kintsugi.api.lookups")
    assert loops == [["kintsugi.api.auth", "kintsugi.api.errors", "kintsugi.api.lookups"]]


def test_an_import_inside_a_function_counts(tmp_path, monkeypatch):
    """What makes a lazy import no way out: grimp reads it as any other."""
    package = tmp_path / "lazyloop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("def f():\n    from lazyloop import high\n    return high\n")
    (package / "high.py").write_text("from lazyloop import low\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    lazy = grimp.build_graph("lazyloop", cache_dir=None)
    assert _cycles(lazy, set(lazy.modules)) == [["lazyloop.high", "lazyloop.low"]]
