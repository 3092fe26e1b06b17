"""Data files shipped with nakpump (published measurements), each with its source in its header."""
