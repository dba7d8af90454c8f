"""Data-entry forms shared by pages (widgets plus the mapping to core input objects)."""
