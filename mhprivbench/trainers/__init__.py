"""Built-in trainers (importing this package registers them)."""
