"""``python -m brainobs ...`` runs the ``brainobs`` command."""

from .cli import main

raise SystemExit(main())
