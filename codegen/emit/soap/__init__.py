"""The SOAP side of the emitter."""
