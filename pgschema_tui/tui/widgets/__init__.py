"""One module per widget of the reviewer."""
