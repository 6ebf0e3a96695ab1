"""peelwatch.store."""
