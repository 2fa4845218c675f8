"""Built-in anonymizers (importing this package registers them)."""
