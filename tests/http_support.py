"""What the tests' httpx clients share."""

from __future__ import annotations

import ssl

TLS = ssl.create_default_context()
"""One TLS context for the clients the tests make for their loopback servers, which speak
plain HTTP: given none, httpx makes one for each client, loading the CA bundle anew (20
ms each, some 370 clients in a run). The tests of the clients' own TLS defaults make
theirs as a user does."""
