"""The live engine's own commands, one module per feature (feedback's are in feedback/commands.py)."""
