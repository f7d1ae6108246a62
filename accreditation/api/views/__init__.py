"""API views per area. Each one: validate, fetch through a visibility selector, call
one service or selector, serialize."""
