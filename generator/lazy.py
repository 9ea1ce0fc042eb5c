"""A package's public names imported on first use (PEP 562), so that a run loads only the modules it needs."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def exports(package: str, modules: Mapping[str, Sequence[str]]) -> Callable[[str], Any]:
    """The module __getattr__ of package: modules maps each of its modules to the public names it gives.

    A name is imported from its module when first asked for, then kept in the package. A
    submodule asked for as an attribute (generator.plan.model after import generator.plan) is
    imported too, as the package's __init__ used to import every module up front.
    """
    where = {name: module for module, names in modules.items() for name in names}
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is not None:
            value = getattr(importlib.import_module(f"{package}.{module}"), name)
            namespace[name] = value
            return value
        if name in modules:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
