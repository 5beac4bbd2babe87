"""Issue 15: no file-level import cycle in ``kintsugi/``.

grimp (import-linter's engine) reads every import, the ones inside functions too: a lazy
import still makes two modules depend on each other, so it does not break a cycle. The
modules that import each other, directly or round a longer loop, are the strongly
connected components of that graph with more than one module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import grimp


def import_cycles(imports: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Groups of two or more modules that import each other (Tarjan's algorithm, without
    recursion: the graph has hundreds of modules), each sorted, in a stable order."""
    graph = {module: sorted(set(targets)) for module, targets in imports.items()}
    for targets in list(graph.values()):
        for target in targets:
            graph.setdefault(target, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            module, next_edge = work.pop()
            if next_edge == 0:
                index[module] = low[module] = len(index)
                stack.append(module)
                on_stack.add(module)
            targets = graph[module]
            if next_edge < len(targets):
                work.append((module, next_edge + 1))
                target = targets[next_edge]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    cycles.append(sorted(group))
    return sorted(cycles)


def test_it_finds_a_cycle_through_several_modules_and_only_that():
    imports = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["e"], "e": [], "f": ["f"]}
    assert import_cycles(imports) == [["a", "b", "c"]]
    assert import_cycles({"x": ["y"], "y": ["x"], "z": ["x"]}) == [["x", "y"]]
    assert import_cycles({"a": ["b"], "b": ["c"]}) == []


def test_no_module_of_kintsugi_is_in_an_import_cycle():
    graph = grimp.build_graph("kintsugi", cache_dir=None)
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    found = import_cycles(imports)
    assert len(graph.modules) > 300  # the whole package was read
    assert not found, "import cycles (move the shared part down, or hand it over):\n" + "\n".join(
        " <-> ".join(cycle) for cycle in found
    )
