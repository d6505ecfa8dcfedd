"""ormcore.orm."""
