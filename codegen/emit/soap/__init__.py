"""The SOAP client flavour: ``soap.py``, ``models.py`` and the sample envelopes."""
