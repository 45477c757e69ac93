"""Admin: ladder."""
