"""Admin: periods."""
