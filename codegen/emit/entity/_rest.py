"""``_rest`` as ``_entity`` finds it in this source tree, where the module lives with the
REST runtimes (``codegen/emit/rest/_rest.py``); a package ships that one module, beside
``_entity``. Never copied into a package (``runtimes.ENTITY`` does not list it)."""

from codegen.emit.rest._rest import (
    MalformedRestResponse,
    Operation,
    Request,
    Select,
    json_response,
)

__all__ = ["MalformedRestResponse", "Operation", "Request", "Select", "json_response"]
