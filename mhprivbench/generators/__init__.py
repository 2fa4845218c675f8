"""Built-in generators (importing this package registers them)."""
