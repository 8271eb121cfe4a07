"""``python -m codegen`` runs the command line."""

from codegen.cli import main

raise SystemExit(main())
