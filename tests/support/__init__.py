"""Helpers shared by test modules (importable as `support.*`: pytest puts tests/ on the path)."""
