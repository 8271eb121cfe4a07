"""The WebAPI entity clients (``entities.py``): a flavour of its own (``codegen.emit.flavour``)."""
