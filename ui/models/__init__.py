"""Qt item models: lazy people table, search results, events."""
