"""The terminal reviewer: the only package that imports Textual.

Import `pgschema_tui.tui.app.ReviewApp` to run it; the pure helpers in this package
(`session`, `explore_model`, `dependencies`, `plan_files`) do not import Textual.
"""
