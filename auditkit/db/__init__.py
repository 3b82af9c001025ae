"""Database layer: the model, sessions and schema migrations."""
