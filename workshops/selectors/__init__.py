"""Reads of the domain, each filtered to what the asking user may see."""
