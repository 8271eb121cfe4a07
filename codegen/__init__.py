"""superoffice-codegen: typed Python clients generated from the SuperOffice API reference docs."""
