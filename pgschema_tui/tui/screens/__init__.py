"""One module per screen: the four modes plus the help and confirmation dialogs."""
