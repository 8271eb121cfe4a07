"""``_auth`` as ``_rest`` finds it in this source tree, where the module lives with the
SOAP runtimes (``codegen/emit/soap/_auth.py``); a package ships that one module, beside
``_rest``. Never copied into a package (``runtimes.REST`` does not list it)."""

from codegen.emit.soap._auth import (
    AsyncCredentials,
    Auth,
    Credentials,
    with_renewal,
    with_renewal_async,
)

__all__ = [
    "AsyncCredentials",
    "Auth",
    "Credentials",
    "with_renewal",
    "with_renewal_async",
]
