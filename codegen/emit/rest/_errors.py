"""``_errors`` as ``_rest`` finds it in this source tree, where the module lives with the
SOAP runtimes (``codegen/emit/soap/_errors.py``); a package ships that one module, beside
``_rest``. Never copied into a package (``runtimes.REST`` does not list it)."""

from codegen.emit.soap._errors import (
    RedirectRefused,
    SuperOfficeError,
    TransportError,
    transport_errors,
)

__all__ = ["RedirectRefused", "SuperOfficeError", "TransportError", "transport_errors"]
