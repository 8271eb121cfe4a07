"""The order the model classes are defined in, which every flavour declares them in.

Classes go by name, except that a class comes after those it needs to exist: its base,
and the class of any field whose default builds one (``field(default_factory=Role)``:
a required field that is neither nillable nor repeated). A cycle of such defaults could
never construct; its classes come last, by name.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping

from codegen.ir import ComplexType, QName, TypeDef


def definition_order(
    classes: Mapping[QName, ComplexType],
    types: Mapping[QName, TypeDef],
    class_names: Mapping[QName, str],
) -> tuple[QName, ...]:
    """The names of ``classes`` in the order their classes are defined."""
    by_name = {class_names[name]: name for name in classes}
    needs = {
        class_names[name]: {class_names[n] for n in _needs(definition, types) if n in classes}
        for name, definition in classes.items()
    }
    needed_by: dict[str, list[str]] = {}
    for name, required in needs.items():
        for other in required:
            needed_by.setdefault(other, []).append(name)
    ready = [name for name, required in needs.items() if not required]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        name = heapq.heappop(ready)
        ordered.append(name)
        for waiting in needed_by.get(name, []):
            needs[waiting].discard(name)
            if not needs[waiting]:
                heapq.heappush(ready, waiting)
    ordered += sorted(set(by_name) - set(ordered))
    return tuple(by_name[name] for name in ordered)


def _needs(definition: ComplexType, types: Mapping[QName, TypeDef]) -> set[QName]:
    built = {
        f.type
        for f in definition.fields
        if isinstance(types.get(f.type), ComplexType)
        and not (f.nillable or f.optional or f.repeated)
    }
    base = types.get(definition.base) if definition.base else None
    return built | ({base.name} if isinstance(base, ComplexType) else set())
