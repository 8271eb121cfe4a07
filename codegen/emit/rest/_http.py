"""``_http`` as ``_rest`` finds it in this source tree, where the module lives with the
SOAP runtimes (``codegen/emit/soap/_http.py``); a package ships that one module, beside
``_rest``. Never copied into a package (``runtimes.REST`` does not list it)."""

from codegen.emit.soap._http import send, send_async

__all__ = ["send", "send_async"]
