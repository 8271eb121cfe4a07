"""``_json`` as ``_entity`` finds it in this source tree, where the module lives with the
REST runtimes (``codegen/emit/rest/_json.py``); a package ships that one module, beside
``_entity``. Never copied into a package (``runtimes.ENTITY`` does not list it)."""

from codegen.emit.rest._json import Codec, Models, Property, at

__all__ = ["Codec", "Models", "Property", "at"]
