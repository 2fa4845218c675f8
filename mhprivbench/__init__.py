"""mhprivbench: privacy-utility benchmark for mental-health text.

Importing this package is light: heavy dependencies load only when a plugin that needs them is used.
"""

__version__ = "0.1.0"
