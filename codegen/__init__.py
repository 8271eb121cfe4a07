"""superoffice-codegen: typed Python clients generated from the SuperOffice API reference docs."""

__version__ = "0.1.0"
