"""Python names for wire names: the one place every generated identifier comes from.

Wire names are .NET names (``EjUserId``, ``UIHintMandatory``, ``UndefinedValue256``); the
generated code wants ``ej_user_id``, ``UiHintMandatory``-style classes and
``UI_HINT_MANDATORY`` members. Whatever the input (keywords, builtins, digits first,
punctuation, any script), the result is a valid identifier that shadows nothing the
generated code relies on, and a ``Scope`` hands out names without collisions, the same ones
whatever order the wire names arrive in.
"""

from __future__ import annotations

import functools
import keyword
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Protocol, TypeVar


class _Sortable(Hashable, Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


_K = TypeVar("_K", bound=_Sortable)

# The builtins of Python 3.11 that a generated name could shadow, frozen here (not read
# from ``builtins``) so that the output does not change with the interpreter's version.
BUILTINS = frozenset(
    {
        "abs",
        "aiter",
        "all",
        "anext",
        "any",
        "ascii",
        "bin",
        "bool",
        "breakpoint",
        "bytearray",
        "bytes",
        "callable",
        "chr",
        "classmethod",
        "compile",
        "complex",
        "copyright",
        "credits",
        "delattr",
        "dict",
        "dir",
        "divmod",
        "enumerate",
        "eval",
        "exec",
        "exit",
        "filter",
        "float",
        "format",
        "frozenset",
        "getattr",
        "globals",
        "hasattr",
        "hash",
        "help",
        "hex",
        "id",
        "input",
        "int",
        "isinstance",
        "issubclass",
        "iter",
        "len",
        "license",
        "list",
        "locals",
        "map",
        "max",
        "memoryview",
        "min",
        "next",
        "object",
        "oct",
        "open",
        "ord",
        "pow",
        "print",
        "property",
        "quit",
        "range",
        "repr",
        "reversed",
        "round",
        "set",
        "setattr",
        "slice",
        "sorted",
        "staticmethod",
        "str",
        "sum",
        "super",
        "tuple",
        "type",
        "vars",
        "zip",
        "ArithmeticError",
        "AssertionError",
        "AttributeError",
        "BaseException",
        "BaseExceptionGroup",
        "BlockingIOError",
        "BrokenPipeError",
        "BufferError",
        "BytesWarning",
        "ChildProcessError",
        "ConnectionAbortedError",
        "ConnectionError",
        "ConnectionRefusedError",
        "ConnectionResetError",
        "DeprecationWarning",
        "EOFError",
        "Ellipsis",
        "EncodingWarning",
        "EnvironmentError",
        "Exception",
        "ExceptionGroup",
        "False",
        "FileExistsError",
        "FileNotFoundError",
        "FloatingPointError",
        "FutureWarning",
        "GeneratorExit",
        "IOError",
        "ImportError",
        "ImportWarning",
        "IndentationError",
        "IndexError",
        "InterruptedError",
        "IsADirectoryError",
        "KeyError",
        "KeyboardInterrupt",
        "LookupError",
        "MemoryError",
        "ModuleNotFoundError",
        "NameError",
        "None",
        "NotADirectoryError",
        "NotImplemented",
        "NotImplementedError",
        "OSError",
        "OverflowError",
        "PendingDeprecationWarning",
        "PermissionError",
        "ProcessLookupError",
        "RecursionError",
        "ReferenceError",
        "ResourceWarning",
        "RuntimeError",
        "RuntimeWarning",
        "StopAsyncIteration",
        "StopIteration",
        "SyntaxError",
        "SyntaxWarning",
        "SystemError",
        "SystemExit",
        "TabError",
        "TimeoutError",
        "True",
        "TypeError",
        "UnboundLocalError",
        "UnicodeDecodeError",
        "UnicodeEncodeError",
        "UnicodeError",
        "UnicodeTranslateError",
        "UnicodeWarning",
        "UserWarning",
        "ValueError",
        "Warning",
        "ZeroDivisionError",
    }
)
KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)

_NON_WORD = re.compile(r"[^\w]+")
_ACRONYM_END = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_START = re.compile(r"([a-z\d])([A-Z])")
_UNDERSCORES = re.compile(r"_+")
_DIGIT_PREFIX = "n"
"""Put before a name that would start with a digit: ``2fa`` becomes ``n2fa`` (``N1ST``)."""


@functools.cache
def _words(name: str) -> tuple[str, ...]:
    """``UIHintMandatory`` -> ``UI Hint Mandatory``; punctuation separates words too.

    Kept per name: an agent styles the same few thousand names over and over.
    """
    name = unicodedata.normalize("NFKC", name)
    name = _NON_WORD.sub("_", name)
    name = _ACRONYM_END.sub(r"\1_\2", name)
    name = _WORD_START.sub(r"\1_\2", name)
    return tuple(word for word in _UNDERSCORES.split(name) if word)


def snake_case(name: str) -> str:
    """``EjUserId`` -> ``ej_user_id``; ``UIHintMandatory`` -> ``ui_hint_mandatory``."""
    return "_".join(word.lower() for word in _words(name))


def pascal_case(name: str) -> str:
    """``ArrayOfint`` -> ``ArrayOfint``; ``so_time_zone`` -> ``SoTimeZone``.

    Words keep their inner capitals, so ``EMailAddress`` stays as it is.
    """
    return "".join(word[:1].upper() + word[1:] for word in _words(name))


def upper_snake(name: str) -> str:
    """``UndefinedValue256`` -> ``UNDEFINED_VALUE256``: an enum member."""
    return snake_case(name).upper()


def is_package_name(name: str) -> bool:
    """Whether ``name`` can be the generated top-level package: an identifier, no keyword,
    and unchanged by NFKC, which Python applies to the name in an ``import`` but not to the
    folder's name (``ｓｏ`` would be written as such and imported as ``so``)."""
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and unicodedata.normalize("NFKC", name) == name
    )


_DISTRIBUTION = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")


def is_distribution_name(name: str) -> bool:
    """Whether ``name`` can name a distribution (PEP 508): ASCII letters and digits, with
    ``.``, ``_`` and ``-`` only between them. The generated project is named after its
    package, and a package name such as ``_so`` or ``société`` is no such name."""
    return _DISTRIBUTION.fullmatch(name) is not None


def safe(identifier: str, reserved: frozenset[str] = frozenset(), fallback: str = "value") -> str:
    """A valid identifier that is no keyword, builtin or ``reserved`` name.

    Such names get a trailing ``_`` (``type`` -> ``type_``); a leading digit gets a letter
    (``2fa`` -> ``n2fa``); an empty name becomes ``fallback``.
    """
    if not identifier.isidentifier():
        identifier = "".join(c for c in identifier if ("_" + c).isidentifier()) or fallback
    if identifier[0].isdigit():
        # An enum member (``1ST``) keeps its upper case: ``N1ST``, not ``n1ST``.
        prefix = _DIGIT_PREFIX.upper() if identifier.isupper() else _DIGIT_PREFIX
        identifier = prefix + identifier
    if identifier in KEYWORDS or identifier in BUILTINS or identifier in reserved:
        identifier += "_"
    return identifier


class Scope:
    """One namespace of generated names (a module, a class body, a parameter list).

    ``assign`` names every wire name at once, in sorted order, so the same wire names
    always get the same Python names: the first claimant keeps the plain name and the
    others get ``_2``, ``_3``... suffixes.
    """

    def __init__(self, reserved: Iterable[str] = (), taken: Iterable[str] = ()) -> None:
        self._reserved = frozenset(reserved)
        self._taken: set[str] = set(taken)

    def claim(self, identifier: str) -> str:
        """Take ``identifier`` (already styled), or the first free ``_N`` variant of it."""
        candidate, number = identifier, 1
        stem = identifier.rstrip("_") or identifier
        while candidate in self._taken or candidate in self._reserved:
            number += 1
            candidate = f"{stem}_{number}"
        self._taken.add(candidate)
        return candidate

    def assign(
        self, wire_names: Iterable[str], style: Callable[[str], str], fallback: str = "value"
    ) -> dict[str, str]:
        """``{wire name: Python name}`` for every distinct wire name, styled and made safe."""
        return self.assign_keys(((w, style(w)) for w in set(wire_names)), fallback)

    def assign_keys(
        self, wanted: Iterable[tuple[_K, str]], fallback: str = "value"
    ) -> dict[_K, str]:
        """``{key: Python name}`` for ``(key, styled name)`` pairs, claimed in key order."""
        return {
            key: self.claim(safe(name, self._reserved, fallback))
            for key, name in sorted(dict(wanted).items())
        }
