"""ormcore.ext."""
