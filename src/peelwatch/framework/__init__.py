"""peelwatch.framework."""
