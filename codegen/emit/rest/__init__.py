"""The REST client flavour: ``rest.py`` on the WebAPI, and its JSON samples."""
