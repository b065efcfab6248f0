from pgschema_tui.cli import main

raise SystemExit(main())
