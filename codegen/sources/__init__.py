"""Readers: the only code that touches markdown-it and lxml. Each returns IR records and diagnostics."""
