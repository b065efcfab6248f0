"""pgschema-tui: declarative schema migration for PostgreSQL with a terminal reviewer."""
__version__ = "0.1.0"
