"""Textbook and published cells, with their sources."""
