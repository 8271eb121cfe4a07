"""The REST (WebAPI) side of the emitter."""
