// The adapter registry: one line per folder under adapters/ (filled as adapters land).
