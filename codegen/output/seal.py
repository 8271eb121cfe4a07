"""The output's cache folder, and the seal that makes what it holds believable.

``<out>/.superoffice-codegen-cache/`` holds the stamp (``codegen.output.stamp``), the
cache (``codegen.output.cache``), and the staging folder and journal of a run that writes
(``codegen.output.atomic``, ``codegen.output.journal``); it ignores itself in git, and it
must be a folder of the output, not a link out of it. Since a commit can still put
files there, what the folder holds is believed only when sealed with a key kept in the
user's cache folder, which no checkout reaches: a planted stamp could pass a tampered
output off as current, a planted pickle run code as it loads.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from codegen.bounded import read_bounded
from codegen.output.atomic import write_atomically

CACHE = ".superoffice-codegen-cache"
STAGING = "staging"
_IGNORE = b"# superoffice-codegen's cache: never committed\n*\n"
_KEY_BYTES = 32


def cache_dir(out: Path) -> Path:
    return out / CACHE


def staging_dir(out: Path) -> Path:
    """Where files are staged before they are renamed into ``out`` (``codegen.output.atomic``).

    It is made if need be, in the cache folder, whose ``.gitignore`` is put in place first:
    git never lists a staging file. Only that ``.gitignore``'s own staging file, the first
    time, exists for an instant before it.
    """
    folder = cache_dir(out)
    staging = folder / STAGING
    for made in (folder, staging):
        made.mkdir(parents=True, exist_ok=True)
        if made.is_symlink():
            raise PermissionError(errno.EACCES, "a link where a folder should be", str(made))
    ignore = folder / ".gitignore"
    try:
        kept = read_bounded(ignore, len(_IGNORE))
    except OSError:
        kept = b""
    if kept != _IGNORE:
        write_atomically(ignore, _IGNORE, staging)
    return staging


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
        write_atomically(cache_dir(out) / name, sealed, staging_dir(out))
