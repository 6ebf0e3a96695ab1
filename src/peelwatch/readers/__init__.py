"""peelwatch.readers."""
