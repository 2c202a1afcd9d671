"""Districts, schools and staff: creating them, importing rosters, reading the directory, validator scopes."""
