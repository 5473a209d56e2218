"""``python -m modelunit``: the command line."""

from modelunit.cli import main

raise SystemExit(main())
