"""peelwatch.web."""
