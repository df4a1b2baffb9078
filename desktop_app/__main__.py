"""Run DeskForms with ``python -m desktop_app``."""

from desktop_app.launcher import main

raise SystemExit(main())
