"""One module per CLI subcommand; each exposes `run(args) -> exit code`."""
