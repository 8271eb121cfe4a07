"""The output's cache folder, and the seal that makes what it holds believable.

``<out>/.superoffice-codegen-cache/`` holds the stamp (``codegen.output.stamp``) and the
cache (``codegen.output.cache``); it ignores itself in git. Since a commit can still put
files there, what the folder holds is believed only when sealed with a key kept in the
user's cache folder, which no checkout reaches: a planted stamp could pass a tampered
output off as current, a planted pickle run code as it loads.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from codegen.bounded import read_bounded
from codegen.output.atomic import write_atomically

CACHE = ".superoffice-codegen-cache"
_KEY_BYTES = 32


def cache_dir(out: Path) -> Path:
    return out / CACHE


def _prepared_cache_dir(out: Path) -> Path:
    """The cache folder, made if need be, with a ``.gitignore`` that keeps it out of git."""
    folder = cache_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        write_atomically(ignore, b"# superoffice-codegen's cache: never committed\n*\n")
    return folder


def seal(data: bytes) -> bytes | None:
    """``data`` behind an HMAC of this user's key; None when there is no key to seal with."""
    key = _user_key()
    if key is None:
        return None
    return hmac.new(key, data, hashlib.sha256).hexdigest().encode() + b"\n" + data


def unseal(sealed: bytes) -> bytes | None:
    """What ``seal`` sealed with this user's key; None for anything else."""
    key = _user_key()
    mac, _, data = sealed.partition(b"\n")
    if key is None:
        return None
    expected = hmac.new(key, data, hashlib.sha256).hexdigest().encode()
    return data if hmac.compare_digest(mac, expected) else None


@functools.cache
def _user_key() -> bytes | None:
    """This user's secret on this machine, made on first use; None if it cannot be kept."""
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        path = Path(base, "superoffice-codegen", "key")
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as new:
            new.write(secrets.token_bytes(_KEY_BYTES))
    except FileExistsError:
        pass
    except (OSError, RuntimeError):
        return None
    try:
        key = read_bounded(path, _KEY_BYTES)
    except OSError:
        return None
    return key if len(key) == _KEY_BYTES else None


def keep_sealed(out: Path, name: str, data: bytes) -> None:
    """``data``, sealed, as the file ``name`` of the cache folder; nothing when there is no
    key to seal with (an unsealed file would not be believed)."""
    sealed = seal(data)
    if sealed is not None:
        write_atomically(_prepared_cache_dir(out) / name, sealed)
