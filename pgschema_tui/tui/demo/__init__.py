"""Sample shop schema for `review --demo`: the live state, its data and a changed desired state."""
