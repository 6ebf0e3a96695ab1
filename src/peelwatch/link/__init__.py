"""peelwatch.link."""
