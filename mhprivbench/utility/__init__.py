"""Built-in utility (importing this package registers them)."""
