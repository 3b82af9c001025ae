"""Built-in check families, registered through the same hooks as third-party plugins."""
